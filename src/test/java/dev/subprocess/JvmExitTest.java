package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.testing.Await;
import dev.subprocess.internal.Engine;
import dev.subprocess.testing.StartSleepAndExit;
import dev.subprocess.testing.StartSleepInALateShutdownHook;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Children still running when the JVM exits normally are stopped, unless the application says otherwise. */
class JvmExitTest {

  private static long sleepPidOfAJvmThatExits(String... properties) {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> argv = new java.util.ArrayList<>(List.of(java));
    argv.addAll(List.of(properties));
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), StartSleepAndExit.class.getName()));
    CompletedProcess jvm = Command.of(argv).stdin(Redirect.DEVNULL).captureOutput().check().run().block();
    return Long.parseLong(jvm.stdoutText().trim());
  }

  @Test
  void aChildStartedByAJvmThatExitsNormallyIsStopped() {
    long sleep = sleepPidOfAJvmThatExits();
    Await.until("sleep " + sleep + " is gone", () -> ProcessHandle.of(sleep).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void aChildStartedByAnotherShutdownHookAfterTheLibrarysIsStopped() {
    String java = ProcessHandle.current().info().command().orElseThrow();
    CompletedProcess jvm = Command.of(java, "--enable-native-access=ALL-UNNAMED",
            "-Ddev.subprocess.launcher=" + Engine.backendName(), "-cp", System.getProperty("java.class.path"),
            StartSleepInALateShutdownHook.class.getName())
        .stdin(Redirect.DEVNULL).captureOutput().check().run().block();
    long sleep = Long.parseLong(jvm.stdoutText().trim());
    try {
      Await.until("sleep " + sleep + " is gone", () -> ProcessHandle.of(sleep).map(p -> !p.isAlive()).orElse(true));
    } finally {
      ProcessHandle.of(sleep).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void theStopAtExitCanBeSwitchedOff() {
    long sleep = sleepPidOfAJvmThatExits("-Ddev.subprocess.stopChildrenOnExit=false");
    Optional<ProcessHandle> survivor = ProcessHandle.of(sleep);
    try {
      assertThat(survivor).isPresent();
      assertThat(survivor.get().isAlive()).isTrue();
      assertThat(survivor.get().info().command().orElse("")).endsWith("sleep");
    } finally {
      survivor.ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}

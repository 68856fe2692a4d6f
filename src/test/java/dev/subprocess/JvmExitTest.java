package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.testing.Await;
import dev.subprocess.testing.StartSleepAndExit;
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

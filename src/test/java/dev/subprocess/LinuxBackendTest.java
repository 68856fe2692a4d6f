package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.LeakCheck;
import dev.subprocess.testing.PrintChildSignals;
import dev.subprocess.testing.ProcStat;
import java.io.FileInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/**
 * What only the Linux native backend can do: any signal, exact codes, passed fds, pipe sizes. New sessions, which
 * both backends start, are tested in {@link BackendParityTest}.
 */
class LinuxBackendTest {

  @TempDir Path dir;

  @BeforeEach
  void onlyOnTheLinuxBackend() {
    assumeTrue(Engine.backendName().equals("linux"), "runs on the linux backend");
  }

  @Test
  void sendsAnySignalAndReportsItExactly() {
    RunningProcess sleeper = Command.of("sleep", "60").start().block();
    sleeper.sendSignal(Signals.SIGUSR1);
    assertThat(sleeper.exitCode().block()).isEqualTo(-Signals.SIGUSR1);
    assertThat(Command.shell("kill -9 $$").run().block().returnCode()).isEqualTo(-Signals.SIGKILL);
    assertThat(Command.shell("exit 137").run().block().returnCode()).isEqualTo(137);
  }

  @Test
  void theStopPolicyUsesTheConfiguredSignal() {
    RunningProcess p = Command.of("sleep", "60").killSignal(Signals.SIGINT).timeout(Duration.ofMillis(100))
        .start().block();
    assertThat(p.exitCode().block(Duration.ofSeconds(20))).isEqualTo(-Signals.SIGINT);
  }

  @Test
  void theChildGetsOnlyTheStandardDescriptorsAndThePassedOnes() throws Exception {
    Path file = Files.writeString(dir.resolve("passed.txt"), "through fd\n");
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      int fd = LeakCheck.openFds().entrySet().stream()
          .filter(e -> e.getValue().equals(file.toString())).mapToInt(Map.Entry::getKey).findFirst().orElseThrow();
      assertThat(Command.of("ls", "/proc/self/fd").stdout(Redirect.PIPE).run().block().stdoutText().split("\n"))
          .containsExactly("0", "1", "2", "3");
      assertThat(Command.of("ls", "/proc/self/fd").passFds(fd).stdout(Redirect.PIPE).run().block().stdoutText()
          .split("\n")).containsExactlyInAnyOrder("0", "1", "2", "3", Integer.toString(fd));
      assertThat(Command.of("cat", "/proc/self/fd/" + fd).passFds(fd).stdout(Redirect.PIPE).run().block()
          .stdoutText()).isEqualTo("through fd\n");
      assertThat(Command.of("cat", "/proc/self/fd/" + fd).captureOutput().run().block().returnCode()).isNotZero();
    }
  }

  @Test
  void aLargerPipeIsReadInLargerChunks() {
    AtomicInteger largest = new AtomicInteger();
    StepVerifier.create(Command.of("head", "-c", "16777216", "/dev/zero").pipeSize(1 << 20).output()
            .map(ByteBuffer::remaining), 1)
        .expectNextCount(1)
        .then(() -> {
          long pid = LeakCheck.children().get(0).pid();
          Await.until("head fills the pipe", () -> ProcStat.blockedOnPipeWrite(pid));
          // A full 1 MiB pipe holds sixteen times what a default one does.
          assertThat(ProcStat.bytesWritten(pid)).isGreaterThan(512 * 1024);
        })
        .thenRequest(1)
        .consumeNextWith(size -> largest.set(size))
        .thenCancel()
        .verify(Duration.ofSeconds(20));
    assertThat(largest.get()).isGreaterThan(64 * 1024);
  }

  @Test
  void signalDispositionsAndTheMaskAreResetInTheChild() {
    // A JVM started with SIGHUP ignored (as under nohup) keeps it ignored; its children must not inherit that.
    String java = ProcessHandle.current().info().command().orElseThrow();
    String script = "trap '' HUP; exec \"$0\" --enable-native-access=ALL-UNNAMED -Ddev.subprocess.launcher=linux"
        + " -cp \"$1\" " + PrintChildSignals.class.getName();
    CompletedProcess done = Command.of(List.of("/bin/sh", "-c", script, java, System.getProperty("java.class.path")))
        .stdin(Redirect.DEVNULL).captureOutput().check().run().block();
    long ignored = mask(done.stdoutText(), "SigIgn");
    assertThat(ignored & 0x7fffffffL).as("standard signals ignored in the child").isZero();
    assertThat(mask(done.stdoutText(), "SigBlk")).isZero();
  }

  private static long mask(String status, String field) {
    for (String line : status.split("\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseUnsignedLong(line.substring(field.length() + 1).trim(), 16);
      }
    }
    throw new AssertionError("no " + field + " in " + status);
  }
}

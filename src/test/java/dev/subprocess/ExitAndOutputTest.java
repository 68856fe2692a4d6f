package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Laziness, return codes, and the separation of the process's exit from the end of its output. */
class ExitAndOutputTest {

  @TempDir Path dir;

  @Test
  void nothingStartsBeforeSubscriptionAndEachSubscriptionStartsANewProcess() {
    Path marker = dir.resolve("marker");
    Mono<CompletedProcess> run = Command.shell("echo $$; touch " + marker).stdout(Redirect.PIPE).run();
    assertThat(marker).doesNotExist();
    String first = run.block().stdoutText();
    assertThat(marker).exists();
    String second = run.block().stdoutText();
    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void returnCodesAreTheExitStatus() {
    assertThat(Command.shell("exit 0").run().block().returnCode()).isZero();
    assertThat(Command.shell("exit 7").run().block().returnCode()).isEqualTo(7);
    assertThat(Command.shell("exit 255").run().block().returnCode()).isEqualTo(255);
  }

  @Test
  void deathByASignalIsMinusTheSignalWhereTheBackendCanTell() {
    int code = Command.shell("kill -TERM $$").run().block().returnCode();
    if (Engine.backendName().equals("jdk")) {
      // ProcessBuilder reports death by signal N as 128 + N; only signals the library sent become -N.
      assertThat(code).isEqualTo(128 + Signals.SIGTERM);
    } else {
      assertThat(code).isEqualTo(-Signals.SIGTERM);
    }
  }

  @Test
  void anExitStatusAbove128IsNotMistakenForASignal() {
    assertThat(Command.shell("exit 143").run().block().returnCode()).isEqualTo(143);
  }

  @Test
  void aGrandchildHoldingThePipeDoesNotHoldTheRunOnceTheChildHasExited() throws Exception {
    // The pid goes to a file: what the run read of stdout before the drain timeout does not matter here.
    Path pidFile = dir.resolve("grandchild");
    CompletedProcess done = Command.shell("sleep 60 & echo $! > " + pidFile)
        .stdout(Redirect.PIPE)
        .drainTimeout(Duration.ofMillis(200))
        .timeout(Duration.ofSeconds(30))
        .run()
        .block();
    long grandchild = Long.parseLong(Files.readString(pidFile).trim());
    try {
      assertThat(done.returnCode()).isZero();
    } finally {
      ProcessHandle.of(grandchild).ifPresent(ProcessHandle::destroy);
      Await.until("the grandchild is gone", () -> ProcessHandle.of(grandchild).isEmpty());
    }
  }

  @Test
  void outputWrittenAfterTheExitEndsTheRunWithoutHangingIt() {
    // A grandchild writes for a while after the shell exits. The jdk backend reads only until the JDK closes the
    // pipe after the exit, so it keeps a prefix of what was written.
    CompletedProcess done = Command.shell("(for i in 1 2 3 4 5; do sleep 0.1; echo $i; done) & exit 0")
        .stdout(Redirect.PIPE)
        .drainTimeout(Duration.ofSeconds(30))
        .run()
        .block();
    if (Engine.backendName().equals("jdk")) {
      assertThat("1\n2\n3\n4\n5\n").startsWith(done.stdoutText());
    } else {
      assertThat(done.stdoutText()).isEqualTo("1\n2\n3\n4\n5\n");
    }
  }

  @Test
  void stdinPipedWithoutInputIsClosedSoTheChildSeesEndOfFile() {
    StepVerifier.create(Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE).run())
        .assertNext(done -> assertThat(done.stdout()).isEmpty())
        .verifyComplete();
  }

  @Test
  void aFailingInputPublisherFailsTheRunAndStopsTheProcess() {
    StepVerifier.create(Command.of("cat")
            .input(Mono.error(new IllegalStateException("no input today")))
            .stdout(Redirect.PIPE)
            .run())
        .expectErrorMessage("no input today")
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void fileRedirectsAreWrittenBeforeTheRunCompletes() throws Exception {
    Path out = dir.resolve("out.txt");
    Command.shell("echo to-file").stdout(Redirect.to(out)).run().block();
    assertThat(Files.readString(out)).isEqualTo("to-file\n");
  }
}

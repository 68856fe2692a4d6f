package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.testing.Await;
import dev.subprocess.testing.LeakCheck;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** execute(): the process lives exactly as long as the body's publisher. */
class ExecuteTest {

  @Test
  void theBodyReadsTheProcessAndTheProcessEndsWithIt() {
    StepVerifier.create(Command.shell("echo hello").stdout(Redirect.PIPE)
            .execute(p -> p.stdout().map(OutputStreamTest::text).concatWith(p.exitCode().map(c -> "exit " + c))))
        .expectNext("hello\n", "exit 0")
        .verifyComplete();
  }

  @Test
  void aBodyThatCompletesEarlyStopsTheProcess() {
    AtomicLong pid = new AtomicLong();
    StepVerifier.create(Command.of("yes").stdin(Redirect.DEVNULL).stdout(Redirect.PIPE)
            .execute(p -> {
              pid.set(p.pid());
              return p.stdout().take(2);
            }))
        .expectNextCount(2)
        .verifyComplete();
    Await.until("yes is stopped and reaped", () -> ProcessHandle.of(pid.get()).isEmpty()
        && LeakCheck.children().isEmpty());
  }

  @Test
  void cancellingTheBodyStopsTheProcess() {
    StepVerifier.create(Command.of("sleep", "60").execute(RunningProcess::exitCode))
        .expectSubscription()
        .then(() -> Await.until("sleep runs", () -> !LeakCheck.children().isEmpty()))
        .thenCancel()
        .verify(Duration.ofSeconds(20));
    Await.until("sleep is stopped and reaped", () -> LeakCheck.children().isEmpty());
  }

  @Test
  void anErrorInTheBodyStopsTheProcess() {
    StepVerifier.create(Command.of("sleep", "60")
            .execute(p -> Mono.error(new IllegalStateException("body failed"))))
        .expectErrorMessage("body failed")
        .verify(Duration.ofSeconds(20));
    Await.until("sleep is stopped and reaped", () -> LeakCheck.children().isEmpty());
  }

  @Test
  void aStreamTheBodyDoesNotReadIsDrainedSoTheChildNeverBlocks() {
    // Four megabytes on stderr would fill its pipe; the body waits for the exit only.
    StepVerifier.create(Command.shell("head -c 4000000 /dev/zero >&2; echo out").captureOutput()
            .execute(p -> p.stdout().map(OutputStreamTest::text).concatWith(p.exitCode().map(c -> "exit " + c))))
        .expectNext("out\n", "exit 0")
        .verifyComplete();
  }
}

package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.testing.Await;
import dev.subprocess.testing.LeakCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** Timeout and cancellation stop the process with the stop policy, reap it, and report what was captured. */
class StopPolicyTest {

  @TempDir Path dir;

  @Test
  void timeoutStopsTheProcessAndCarriesTheOutputSoFar() {
    // On virtual time the timeout fires once the child has written its output, however slow the machine is.
    Path ready = dir.resolve("ready");
    Command sleeper = Command.shell("echo started; echo warming >&2; touch " + ready + "; exec sleep 60")
        .captureOutput()
        .timeout(Duration.ofMillis(300));
    StepVerifier.withVirtualTime(sleeper::run)
        .expectSubscription()
        .then(() -> Await.until("the child has written its output", () -> Files.exists(ready)))
        .thenAwait(Duration.ofMillis(300))
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(TimeoutExpiredException.class);
          TimeoutExpiredException t = (TimeoutExpiredException) e;
          assertThat(t.timeout()).isEqualTo(Duration.ofMillis(300));
          assertThat(new String(t.stdout())).isEqualTo("started\n");
          assertThat(new String(t.stderr())).isEqualTo("warming\n");
          assertThat(t.getMessage()).startsWith("Command 'echo started; echo warming >&2; touch "
              + ready + "; exec sleep 60' timed out after 0.3 seconds.");
          assertThat(LeakCheck.children()).isEmpty();
        })
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void timeoutRunsOnVirtualTime() {
    StepVerifier.withVirtualTime(() -> Command.of("sleep", "60").timeout(Duration.ofHours(1)).run())
        .expectSubscription()
        .then(() -> Await.until("sleep has started", () -> !LeakCheck.children().isEmpty()))
        .thenAwait(Duration.ofHours(1))
        .expectError(TimeoutExpiredException.class)
        .verify(Duration.ofSeconds(20));
    assertThat(LeakCheck.children()).isEmpty();
  }

  @Test
  void aProcessThatEndsInTimeIsNotATimeout() {
    StepVerifier.create(Command.of("true").timeout(Duration.ofSeconds(30)).run())
        .assertNext(done -> assertThat(done.returnCode()).isZero())
        .verifyComplete();
  }

  @Test
  void cancellingTheSubscriptionStopsAndReapsTheProcess() {
    Disposable running = Command.of("sleep", "60").stdin(Redirect.DEVNULL).run().subscribe();
    Await.until("sleep has started", () -> !LeakCheck.children().isEmpty());
    ProcessHandle child = LeakCheck.children().get(0);
    running.dispose();
    Await.until("sleep was stopped and reaped", () -> LeakCheck.children().isEmpty());
    assertThat(child.isAlive()).isFalse();
  }

  @Test
  void aChildThatIgnoresTheKillSignalIsKilledAfterTheGrace() throws Exception {
    Path ready = dir.resolve("ready");
    Command stubborn = Command.shell("trap '' TERM; touch " + ready + "; exec sleep 60")
        .killGrace(Duration.ofMillis(200))
        .timeout(Duration.ofSeconds(30));
    Disposable running = stubborn.run().subscribe(x -> { }, e -> { });
    Await.until("the trap is set", () -> Files.exists(ready));
    ProcessHandle child = LeakCheck.children().get(0);
    running.dispose();
    Await.until("the stubborn child is gone", () -> !child.isAlive() && LeakCheck.children().isEmpty());
  }

  @Test
  void theKillSignalCanBeSigkillAtOnce() {
    StepVerifier.create(Command.shell("trap '' TERM; exec sleep 60")
            .killSignal(Signals.SIGKILL)
            .killGrace(Duration.ofHours(1))
            .timeout(Duration.ofMillis(200))
            .run())
        .expectError(TimeoutExpiredException.class)
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void aZeroGraceSendsSigkillAtOnce() {
    StepVerifier.create(Command.shell("trap '' TERM; exec sleep 60")
            .killGrace(Duration.ZERO)
            .timeout(Duration.ofMillis(200))
            .run())
        .expectError(TimeoutExpiredException.class)
        .verify(Duration.ofSeconds(20));
  }
}

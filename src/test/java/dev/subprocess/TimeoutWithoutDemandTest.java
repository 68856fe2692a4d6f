package dev.subprocess;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** A timed-out stream fails at once, even when its subscriber stopped requesting with data still buffered. */
class TimeoutWithoutDemandTest {

  @Test
  void aTimedOutLinesSubscriberThatStoppedRequestingIsToldOfTheTimeout() {
    // Three lines arrive in one chunk; the subscriber takes one and requests no more while the process sleeps.
    Command slow = Command.of("sh", "-c", "printf '1\\n2\\n3\\n'; exec sleep 60").timeout(Duration.ofMillis(500));
    StepVerifier.create(slow.lines(), 1)
        .expectNext("1")
        .expectError(TimeoutExpiredException.class)
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void theErrorArrivesWithinTheKillGraceWhenTheProcessIgnoresTheKillSignal() {
    // The process outlives SIGTERM; the error comes once SIGKILL has reaped it, the buffered lines unread.
    Command stubborn = Command.of("sh", "-c", "trap '' TERM; printf '1\\n2\\n3\\n'; while :; do sleep 1; done")
        .timeout(Duration.ofMillis(500))
        .killGrace(Duration.ofMillis(500));
    StepVerifier.create(stubborn.lines(), 1)
        .expectNext("1")
        .expectError(TimeoutExpiredException.class)
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void aTimedOutOutputSubscriberWithoutDemandIsToldOfTheTimeout() {
    Command slow = Command.of("sh", "-c", "printf 'x'; exec sleep 60").timeout(Duration.ofMillis(500));
    StepVerifier.create(slow.output(), 1)
        .expectNextCount(1)
        .expectError(TimeoutExpiredException.class)
        .verify(Duration.ofSeconds(30));
  }
}

package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** An endless line and a capture beyond its limit fail with an error naming the limit, and stop the process. */
class OutputLimitsTest {
  private static final Duration BOUND = Duration.ofSeconds(30);

  @Test
  void aLineLongerThanTheLimitFailsTheStreamNamingTheLimit() {
    Command endless = Command.of("sh", "-c", "printf 'short\\n'; exec tr '\\0' a < /dev/zero").maxLineLength(1000);
    StepVerifier.create(endless.lines())
        .expectNext("short")
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(OutputLimitException.class)
              .hasMessageContaining("[sh, -c, printf")
              .hasMessageContaining("longer than 1000 characters to stdout")
              .hasMessageContaining("Command.maxLineLength")
              .hasMessageContaining("working directory");
          assertThat(((OutputLimitException) e).limit()).isEqualTo(1000);
        })
        .verify(BOUND);
  }

  @Test
  void aLineOfExactlyTheLimitIsKept() {
    StepVerifier.create(Command.of("printf", "abc\\ndefg\\nhij").maxLineLength(4).lines())
        .expectNext("abc", "defg", "hij")
        .verifyComplete();
  }

  @Test
  void anEndlessLineIsStoppedByTheDefaultLimit() {
    StepVerifier.create(Command.of("sh", "-c", "exec tr '\\0' a < /dev/zero").lines())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(OutputLimitException.class)
            .hasMessageContaining("longer than " + Command.DEFAULT_MAX_LINE_LENGTH + " characters"))
        .verify(BOUND);
  }

  @Test
  void aCaptureBeyondItsLimitFailsTheRunNamingTheStreamAndTheLimit() {
    Command endless = Command.of("sh", "-c", "exec cat /dev/zero").captureOutput().captureLimit(1 << 20);
    StepVerifier.create(endless.run())
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(OutputLimitException.class)
              .hasMessageContaining("[sh, -c, exec cat /dev/zero]")
              .hasMessageContaining("more than 1048576 bytes to stdout")
              .hasMessageContaining("Command.captureLimit");
          assertThat(((OutputLimitException) e).limit()).isEqualTo(1 << 20);
        })
        .verify(BOUND);
  }

  @Test
  void aCaptureOfStderrHasTheSameLimit() {
    Command endless = Command.of("sh", "-c", "exec cat /dev/zero >&2").captureOutput().captureLimit(4096);
    StepVerifier.create(endless.run())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(OutputLimitException.class)
            .hasMessageContaining("more than 4096 bytes to stderr"))
        .verify(BOUND);
  }

  @Test
  void aCaptureOfExactlyTheLimitSucceeds() {
    CompletedProcess done = Command.of("printf", "12345").captureOutput().captureLimit(5).run().block(BOUND);
    assertThat(done.stdoutText()).isEqualTo("12345");
  }

  @Test
  void badLimitsAreRefusedWhenConfigured() {
    assertThatThrownBy(() -> Command.of("true").maxLineLength(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLineLength");
    assertThatThrownBy(() -> Command.of("true").captureLimit(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("captureLimit");
    assertThatThrownBy(() -> Command.of("true").captureLimit(Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the most a byte array holds");
  }
}

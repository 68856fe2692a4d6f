package dev.subprocess.internal;

import dev.subprocess.TimeoutExpiredException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;

/**
 * Limits how long the owner of a started process waits for it, as Python's {@code wait(timeout)} and
 * {@code communicate(timeout=...)} do: the wait fails with {@link TimeoutExpiredException} and the process runs
 * on. What has already happened is reported whatever the limit, so a zero or negative limit (Python's
 * {@code timeout=0} or {@code -1}) polls: it succeeds once the process is done and times out at once before.
 */
final class OwnerWait {
  /** The longest delay a scheduler takes, about 292 years: longer limits are no limit in practice. */
  private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

  private OwnerWait() {}

  /**
   * Returns {@code outcome}, failing with {@code expired}'s exception when it has not signalled within
   * {@code timeout} (no limit when null); {@code done} tells whether it is already there.
   */
  static <T> Mono<T> within(Mono<T> outcome, BooleanSupplier done, Duration timeout,
      Supplier<TimeoutExpiredException> expired) {
    if (timeout == null || done.getAsBoolean()) {
      return outcome;
    }
    if (timeout.isZero() || timeout.isNegative()) {
      return Mono.error(expired.get());
    }
    Duration limit = timeout.compareTo(LONGEST) > 0 ? LONGEST : timeout;
    return outcome.timeout(limit, Mono.defer(() -> Mono.error(expired.get())));
  }

  /** Returns the exception of a wait for {@code execution} that outlived {@code timeout}, with what was read. */
  static TimeoutExpiredException expired(Execution execution, Duration timeout, byte[] stdout, byte[] stderr) {
    LaunchSpec launch = execution.spec().launch();
    return new TimeoutExpiredException(launch.argv(), launch.workingDirectory(), timeout, stdout, stderr);
  }
}

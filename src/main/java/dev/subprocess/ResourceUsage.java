package dev.subprocess;

import java.time.Duration;
import java.util.Objects;

/**
 * Describes what a finished process cost in CPU time: the user and system time of the process and of the
 * descendants it waited for, as the kernel accounted them when the process was reaped (Go's
 * {@code ProcessState.UserTime} and {@code SystemTime}, Python's {@code os.wait4}).
 *
 * <p>Peak memory ({@code ru_maxrss}) is deliberately left out: a child started with {@code vfork} semantics, as
 * {@code posix_spawn} starts it, runs in this process's memory until it execs, and the kernel folds that memory's
 * high-water mark into the child's at exec, so the figure would be this JVM's peak rather than the child's.
 *
 * <pre>{@code
 * Duration cpu = Command.of("gzip", "-9", "big.log").run().block()
 *     .resourceUsage().map(ResourceUsage::totalTime).orElse(Duration.ZERO);
 * }</pre>
 *
 * @param userTime the CPU time spent in user mode
 * @param systemTime the CPU time spent in the kernel on the process's behalf
 */
public record ResourceUsage(Duration userTime, Duration systemTime) {

  /** Checks that both times are given and not negative. */
  public ResourceUsage {
    Objects.requireNonNull(userTime, "userTime");
    Objects.requireNonNull(systemTime, "systemTime");
    if (userTime.isNegative() || systemTime.isNegative()) {
      throw new IllegalArgumentException("CPU times cannot be negative: user " + userTime + ", system " + systemTime);
    }
  }

  /**
   * Returns the user and system time together.
   *
   * @return {@link #userTime()} plus {@link #systemTime()}
   */
  public Duration totalTime() {
    return userTime.plus(systemTime);
  }
}

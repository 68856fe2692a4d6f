package dev.subprocess.internal;

import dev.subprocess.ResourceUsage;
import java.time.Duration;

/**
 * Holds the CPU time a reaped child used, as a backend reads it from the kernel ({@code struct rusage}).
 *
 * @param userMicros microseconds in user mode, of the child and the descendants it waited for
 * @param systemMicros microseconds in the kernel, of the child and the descendants it waited for
 */
public record ChildUsage(long userMicros, long systemMicros) {

  /** Returns this usage as the public API reports it. */
  ResourceUsage toResourceUsage() {
    return new ResourceUsage(Duration.ofNanos(userMicros * 1000), Duration.ofNanos(systemMicros * 1000));
  }

  /** Returns this usage as the end-of-process log line shows it. */
  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "%.3f s user and %.3f s system CPU", userMicros / 1e6, systemMicros / 1e6);
  }
}

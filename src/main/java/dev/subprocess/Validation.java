package dev.subprocess;

import java.time.Duration;
import java.util.Objects;

/** Checks the arguments of {@link Command}'s methods, so that bad input fails before anything is spawned. */
final class Validation {
  private Validation() {}

  static void noNul(String value, String what) {
    int at = value.indexOf('\0');
    if (at >= 0) {
      throw new IllegalArgumentException(what + " contains a NUL character at index " + at + ": "
          + value.replace("\0", "\\0"));
    }
  }

  static void envVariable(String name, String value) {
    Objects.requireNonNull(name, "environment variable name");
    Objects.requireNonNull(value, () -> "value of environment variable " + name);
    if (name.isEmpty() || name.indexOf('=') >= 0) {
      throw new IllegalArgumentException("invalid environment variable name '" + name + "': it must be non-empty"
          + " and contain no '='");
    }
    noNul(name, "environment variable name");
    noNul(value, "environment variable " + name);
  }

  /** Refuses input ({@code call} names how it was given) on top of a stdin redirect, in whichever order. */
  static void inputFits(String call, Redirect stdin) {
    if (stdin != null) {
      throw new IllegalArgumentException("stdin is redirected from " + stdin + " with stdin(" + stdin + ") and "
          + call + " would feed it too through a pipe: use one of them");
    }
  }

  /** The longest duration a timer can hold: Long.MAX_VALUE nanoseconds, about 292 years. */
  private static final Duration LONGEST = Duration.ofNanos(Long.MAX_VALUE);

  static void positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    notTooLong(d, what);
  }

  /** Accepts any time limit a timer can hold: zero or less means that the limit passes at the start. */
  static void timeout(Duration d) {
    Objects.requireNonNull(d, "timeout");
    if (d.compareTo(LONGEST.negated()) < 0) {
      throw new IllegalArgumentException("timeout is further below zero than a timer can hold (about 292 years),"
          + " got " + d);
    }
    notTooLong(d, "timeout");
  }

  static void notNegative(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative, got " + d);
    }
    notTooLong(d, what);
  }

  private static void notTooLong(Duration d, String what) {
    if (d.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException(what + " is longer than a timer can hold (about 292 years), got " + d);
    }
  }

  static void signal(int signal) {
    if (signal < 1 || signal > 64) {
      throw new IllegalArgumentException("no such signal: " + signal + " (signals are 1 to 64)");
    }
  }
}

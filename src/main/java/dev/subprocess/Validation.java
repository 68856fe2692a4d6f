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

  static void inputFits(Object input, Redirect stdin) {
    if (input != null && stdin != Redirect.PIPE && stdin != Redirect.INHERIT) {
      throw new IllegalArgumentException("stdin is redirected from " + stdin
          + " and input(...) would feed it too: use one of them");
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

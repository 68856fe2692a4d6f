package dev.subprocess.internal;

import dev.subprocess.ProcessStartException;
import java.nio.file.Path;

/** Turns the engine's {@link StartFailure} into the public {@link ProcessStartException}. */
final class StartFailures {
  private StartFailures() {}

  static ProcessStartException toPublic(StartFailure e) {
    ProcessStartException failure = new ProcessStartException(e.argv(), e.program(), Path.of(e.workingDirectory()),
        e.reason(), e.errorName(), e.getCause());
    failure.setStackTrace(e.getStackTrace());
    return failure;
  }
}

package dev.subprocess.internal;

import dev.subprocess.ProcessStartException;
import dev.subprocess.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, just before a start, what the operating system would otherwise report vaguely: a missing working
 * directory (which {@code chdir} reports as a missing program) and a missing stdin file. Files of redirects
 * are opened by this process, so relative ones are relative to its working directory, as in Python.
 */
final class Preflight {
  private Preflight() {}

  static void check(LaunchSpec spec) {
    NativeText.requireEncodable(spec);
    Path cwd = spec.cwd();
    if (cwd != null && !Files.isDirectory(cwd)) {
      String reason = Files.exists(cwd)
          ? "the working directory " + cwd + " is not a directory"
          : "the working directory " + cwd + " does not exist";
      throw new ProcessStartException(spec.argv(), spec.workingDirectory(), reason,
          Files.exists(cwd) ? "ENOTDIR" : "ENOENT", null);
    }
    for (int fd : spec.passFds()) {
      if (!new java.io.File("/proc/self/fd/" + fd).exists()) {
        throw new StartFailure(spec, "passFds(" + fd + "): descriptor " + fd + " is not open in this process",
            "EBADF", null);
      }
    }
    if (spec.stdin().type() == Redirect.Type.READ) {
      Path file = spec.stdin().file();
      if (!Files.exists(file)) {
        throw new ProcessStartException(spec.argv(), spec.workingDirectory(),
            "cannot read stdin from " + file + ": no such file", "ENOENT", null);
      }
    }
  }
}

package dev.subprocess.internal;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, just before a local start, what the operating system would otherwise report vaguely or what would be
 * altered silently: text that encodes to no bytes ({@link NativeText}), a missing working directory (which
 * {@code chdir} reports as a missing program), a passed descriptor that is not open (which {@code posix_spawn}
 * reports as EBADF without saying which) and a missing stdin file. Files of redirects are opened by this process,
 * so relative ones are relative to its working directory, as in Python.
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
      throw new StartFailure(spec, reason,
          Files.exists(cwd) ? "ENOTDIR" : "ENOENT", null);
    }
    for (int fd : spec.passFds()) {
      if (!new java.io.File("/proc/self/fd/" + fd).exists()) {
        throw new StartFailure(spec, "passFds(" + fd + "): descriptor " + fd + " is not open in this process",
            "EBADF", null);
      }
    }
    if (spec.stdinStream().type() == Stream.Type.READ) {
      Path file = spec.stdinStream().file();
      if (!Files.exists(file)) {
        throw new StartFailure(spec,
            "cannot read stdin from " + file + ": no such file", "ENOENT", null);
      }
    }
  }
}

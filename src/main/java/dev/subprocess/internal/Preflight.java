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

  /**
   * Checks that the program exists and is executable, searching this process's PATH as the JDK does for a name
   * without a slash. Used before a pipeline starts, so that a missing program fails before any stage runs.
   */
  static void checkProgram(LaunchSpec spec) {
    String program = spec.program();
    if (program.contains("/")) {
      Path path = spec.cwd() == null ? Path.of(program) : spec.cwd().resolve(program);
      requireExecutable(spec, path);
      return;
    }
    String searchPath = System.getenv("PATH");
    for (String dir : (searchPath == null ? "/usr/bin:/bin" : searchPath).split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return;
      }
    }
    throw new ProcessStartException(spec.argv(), spec.workingDirectory(),
        "No such file or directory: " + program + " is not on the PATH", "ENOENT", null);
  }

  private static void requireExecutable(LaunchSpec spec, Path path) {
    if (!Files.exists(path)) {
      throw new ProcessStartException(spec.argv(), spec.workingDirectory(), "No such file or directory", "ENOENT",
          null);
    }
    if (Files.isDirectory(path) || !Files.isExecutable(path)) {
      throw new ProcessStartException(spec.argv(), spec.workingDirectory(), "Permission denied", "EACCES", null);
    }
  }

  static void check(LaunchSpec spec) {
    Path cwd = spec.cwd();
    if (cwd != null && !Files.isDirectory(cwd)) {
      String reason = Files.exists(cwd)
          ? "the working directory " + cwd + " is not a directory"
          : "the working directory " + cwd + " does not exist";
      throw new ProcessStartException(spec.argv(), spec.workingDirectory(), reason,
          Files.exists(cwd) ? "ENOTDIR" : "ENOENT", null);
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

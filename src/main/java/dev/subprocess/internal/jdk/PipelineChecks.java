package dev.subprocess.internal.jdk;

import dev.subprocess.internal.LaunchSpec;
import dev.subprocess.internal.StartFailure;
import dev.subprocess.internal.Stream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the stages of a pipeline before {@link ProcessBuilder#startPipeline} starts any: when a later stage
 * fails to start, the JDK stops the earlier ones but leaks the pipe between them, so the failures that can be
 * foreseen (a missing program, a redirect file that cannot be opened) are reported before anything starts.
 */
final class PipelineChecks {
  private PipelineChecks() {}

  /**
   * Checks that the file the engine found exists and is executable. Used before a pipeline starts, so that a missing
   * program given with a slash (which the engine takes as it is) fails before any stage runs.
   */
  static void checkProgram(LaunchSpec spec) {
    String file = spec.file();
    requireExecutable(spec, spec.cwd() == null || file.startsWith("/") ? Path.of(file) : spec.cwd().resolve(file));
  }

  /**
   * Checks that the files of the output redirects can be written and the stdin file read. Used before a
   * pipeline starts, because the JDK leaks the pipe between stages when a later stage cannot open its file.
   */
  static void checkRedirects(LaunchSpec spec) {
    for (Stream r : new Stream[] {spec.stdoutStream(), spec.stderrStream()}) {
      if (r.type() == Stream.Type.WRITE || r.type() == Stream.Type.APPEND) {
        Path file = r.file().toAbsolutePath();
        Path parent = file.getParent();
        if (Files.isDirectory(file)) {
          throw cannotOpen(spec, file, "Is a directory", "EISDIR");
        }
        if (parent != null && !Files.isDirectory(parent)) {
          throw cannotOpen(spec, file, "No such file or directory", "ENOENT");
        }
        if (Files.exists(file) ? !Files.isWritable(file) : parent != null && !Files.isWritable(parent)) {
          throw cannotOpen(spec, file, "Permission denied", "EACCES");
        }
      }
    }
    if (spec.stdinStream().type() == Stream.Type.READ && !Files.isReadable(spec.stdinStream().file())) {
      throw cannotOpen(spec, spec.stdinStream().file(), "Permission denied", "EACCES");
    }
  }

  private static StartFailure cannotOpen(LaunchSpec spec, Path file, String reason, String errorName) {
    return new StartFailure(spec, "cannot open " + file + ": " + reason,
        errorName, null);
  }

  private static void requireExecutable(LaunchSpec spec, Path path) {
    if (!Files.exists(path)) {
      throw new StartFailure(spec, "No such file or directory", "ENOENT",
          null);
    }
    if (Files.isDirectory(path) || !Files.isExecutable(path)) {
      throw new StartFailure(spec, "Permission denied", "EACCES", null);
    }
  }

}

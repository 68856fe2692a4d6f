package dev.subprocess.internal.linux;

import dev.subprocess.ProcessStartException;
import dev.subprocess.internal.LaunchSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the file a command executes, as Python does: a program with a slash is taken as it is (relative to the
 * child's working directory); a bare name is searched on the PATH of the child's environment, or of this
 * process when the environment is inherited.
 */
final class ProgramLookup {
  private ProgramLookup() {}

  static String resolve(LaunchSpec spec, Map<String, String> environment) {
    String program = spec.program();
    if (program.contains("/")) {
      return program;
    }
    String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    boolean denied = false;
    for (String dir : path.split(":", -1)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
      Path located = candidate.isAbsolute() || spec.cwd() == null ? candidate : spec.cwd().resolve(candidate);
      if (Files.isRegularFile(located)) {
        if (Files.isExecutable(located)) {
          return candidate.toString();
        }
        denied = true;
      }
    }
    throw denied
        ? new ProcessStartException(spec.argv(), spec.workingDirectory(), "Permission denied", "EACCES", null)
        : new ProcessStartException(spec.argv(), spec.workingDirectory(),
            "No such file or directory", "ENOENT", null);
  }
}

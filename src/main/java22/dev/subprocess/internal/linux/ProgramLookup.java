package dev.subprocess.internal.linux;

import dev.subprocess.ProcessStartException;
import dev.subprocess.internal.LaunchSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the file a command executes, as Python does: a program with a slash is taken as it is (relative to the
 * child's working directory); a bare name is searched on the PATH of the child's environment, or of this
 * process when the environment is inherited.
 *
 * <p>A name found on a PATH of absolute directories is remembered for that PATH, as a shell's hash table does, so
 * that a launch does not stat every directory; {@link #forget} drops it when the file it found cannot be started.
 */
final class ProgramLookup {
  private static final int CACHED = 256;
  private static final Map<String, String> FOUND = new ConcurrentHashMap<>();

  private ProgramLookup() {}

  static String resolve(LaunchSpec spec, Map<String, String> environment) {
    String program = spec.program();
    if (program.contains("/")) {
      return program;
    }
    String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
    String key = program + '\0' + path;
    String found = FOUND.get(key);
    if (found != null) {
      return found;
    }
    found = search(spec, program, path);
    if (cacheable(path)) {
      if (FOUND.size() >= CACHED) {
        FOUND.clear();
      }
      FOUND.put(key, found);
    }
    return found;
  }

  /** Forgets what {@link #resolve} found for {@code spec}'s program, which failed to start. */
  static void forget(LaunchSpec spec, Map<String, String> environment) {
    if (!spec.program().contains("/")) {
      FOUND.remove(spec.program() + '\0' + environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin"));
    }
  }

  /** A PATH of absolute directories finds the same file from any working directory. */
  private static boolean cacheable(String path) {
    for (String dir : path.split(":", -1)) {
      if (!dir.startsWith("/")) {
        return false;
      }
    }
    return true;
  }

  private static String search(LaunchSpec spec, String program, String path) {
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

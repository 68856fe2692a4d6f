package dev.subprocess.internal;

import java.io.File;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the file a local command executes, once, in the engine, for every local backend, as Python and
 * {@code execvpe} do: a program with a slash is taken as it is (relative to the child's working directory); a bare
 * name is searched on the PATH of the <em>child's</em> environment (its {@code env(...)}, or this process's when
 * the environment is inherited), relative entries and the empty entry being relative to the child's working
 * directory.
 *
 * <p>The search costs one {@code stat} per PATH directory tried, through {@link File} (no exception per missing
 * file, as NIO's checks throw). Only the split PATH is cached, by its text: a program added to or removed from a
 * directory is seen by the next launch, as with {@code execvpe}.
 */
public final class ProgramLookup {
  /** The search path when the child's environment has no PATH, as the linux backend always used. */
  static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

  private static final int MAX_CACHED_PATHS = 64;
  private static final Map<String, String[]> SPLIT = new ConcurrentHashMap<>();

  private ProgramLookup() {}

  /** Returns {@code spec} with the file to execute found, or fails as the exec would. */
  static LaunchSpec locate(LaunchSpec spec) {
    if (spec.programPath() != null) {
      return spec;
    }
    return spec.withProgramPath(find(spec));
  }

  private static String find(LaunchSpec spec) {
    String program = spec.program();
    if (program.contains("/")) {
      return program;
    }
    String path = searchPath(spec);
    boolean denied = false;
    for (String dir : split(path)) {
      String candidate = dir.isEmpty() ? program : dir.endsWith("/") ? dir + program : dir + "/" + program;
      File located = candidate.startsWith("/") || spec.cwd() == null
          ? new File(candidate) : new File(spec.cwd().toFile(), candidate);
      if (located.isFile()) {
        if (located.canExecute()) {
          return dir.isEmpty() ? "./" + program : candidate;
        }
        denied = true;
      }
    }
    throw denied
        ? new StartFailure(spec, "Permission denied", "EACCES", null)
        : new StartFailure(spec, "No such file or directory", "ENOENT", null);
  }

  /** Returns the PATH the child will have: set on top, set in its environment, or this process's. */
  public static String searchPath(LaunchSpec spec) {
    String path = spec.environmentAdditions().get("PATH");
    if (path == null) {
      path = spec.environment() != null ? spec.environment().get("PATH") : System.getenv("PATH");
    }
    return path == null ? DEFAULT_PATH : path;
  }

  private static String[] split(String path) {
    String[] dirs = SPLIT.get(path);
    if (dirs == null) {
      dirs = path.split(":", -1);
      if (SPLIT.size() >= MAX_CACHED_PATHS) {
        SPLIT.clear();
      }
      SPLIT.put(path, dirs);
    }
    return dirs;
  }
}

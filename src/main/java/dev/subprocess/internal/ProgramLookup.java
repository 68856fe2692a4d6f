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
 * <p>A search costs one {@code stat} per PATH directory tried, through {@link File} (no exception per missing
 * file, as NIO's checks throw). A name found on a PATH of absolute directories is remembered for that PATH, as a
 * shell's hash table remembers it, and checked again (one {@code stat} and one {@code access}) before each use: a
 * program removed, or no longer executable, is searched for again. As with a shell's hash table, a program of the
 * same name installed later in an earlier directory of that PATH is not seen while the one found still is.
 */
public final class ProgramLookup {
  /** The search path when the child's environment has no PATH: Python's {@code os.defpath}, glibc's default. */
  static final String DEFAULT_PATH = "/bin:/usr/bin";

  private static final int MAX_CACHED_PATHS = 64;
  private static final int MAX_FOUND = 256;
  private static final Map<String, String[]> SPLIT = new ConcurrentHashMap<>();
  private static final Map<String, String> FOUND = new ConcurrentHashMap<>();

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
    String key = program + '\0' + path;
    String found = FOUND.get(key);
    if (found != null) {
      File file = new File(found);
      if (file.isFile() && file.canExecute()) {
        return found;
      }
      FOUND.remove(key);
    }
    found = search(spec, program, path);
    if (cacheable(path)) {
      if (FOUND.size() >= MAX_FOUND) {
        FOUND.clear();
      }
      FOUND.put(key, found);
    }
    return found;
  }

  /** A PATH of absolute directories finds the same file from any working directory. */
  private static boolean cacheable(String path) {
    for (String dir : split(path)) {
      if (!dir.startsWith("/")) {
        return false;
      }
    }
    return true;
  }

  private static String search(LaunchSpec spec, String program, String path) {
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

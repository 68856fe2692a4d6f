package dev.subprocess.internal.jdk;

import java.io.File;

/**
 * Finds, once, the standard programs through which the jdk backend does what {@link ProcessBuilder} cannot:
 * util-linux {@code setsid} for a new session, {@code bash} for an {@code argv[0]} apart from the program
 * ({@code exec -a}), and {@code /bin/sh} for signals ({@code kill}). Each is null when the system lacks it.
 */
final class Tools {
  /** util-linux {@code setsid}, or null. */
  static final String SETSID = first("/usr/bin/setsid", "/bin/setsid");
  /** {@code bash}, or null. */
  static final String BASH = first("/bin/bash", "/usr/bin/bash");
  /** A POSIX shell, or null. */
  static final String SH = first("/bin/sh", "/usr/bin/sh");

  private Tools() {}

  private static String first(String... candidates) {
    for (String candidate : candidates) {
      File file = new File(candidate);
      if (file.isFile() && file.canExecute()) {
        return candidate;
      }
    }
    return null;
  }
}

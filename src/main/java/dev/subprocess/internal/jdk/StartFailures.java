package dev.subprocess.internal.jdk;

import dev.subprocess.internal.LaunchSpec;
import dev.subprocess.internal.StartFailure;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@link IOException} of a failed {@link ProcessBuilder#start()} into a {@link StartFailure}
 * that names the program, the working directory and the operating system's reason with its symbolic name.
 */
final class StartFailures {
  /**
   * The JDK's message ends in {@code error=2, No such file or directory} (up to Java 21) or in
   * {@code Exec failed, error: 2 (No such file or directory)} (later).
   */
  private static final Pattern ERRNO = Pattern.compile(
      "(?:error=(\\d+), (.*?)|error: (\\d+) \\(([^)]*)\\))\\s*$", Pattern.DOTALL);

  /** A redirect's file that could not be opened, as its {@code FileNotFoundException} says it. */
  private static final Pattern FILE = Pattern.compile("^(.*) \\((.*)\\)\\s*$");

  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(1, "EPERM"), Map.entry(2, "ENOENT"), Map.entry(4, "EINTR"), Map.entry(5, "EIO"),
      Map.entry(7, "E2BIG"), Map.entry(8, "ENOEXEC"), Map.entry(11, "EAGAIN"), Map.entry(12, "ENOMEM"),
      Map.entry(13, "EACCES"), Map.entry(20, "ENOTDIR"), Map.entry(21, "EISDIR"), Map.entry(23, "ENFILE"),
      Map.entry(24, "EMFILE"), Map.entry(26, "ETXTBSY"), Map.entry(36, "ENAMETOOLONG"), Map.entry(40, "ELOOP"));

  private static final Map<String, String> NAMES_BY_REASON = Map.of(
      "No such file or directory", "ENOENT", "Permission denied", "EACCES", "Is a directory", "EISDIR",
      "Not a directory", "ENOTDIR", "Too many open files", "EMFILE");

  private StartFailures() {}

  static StartFailure translate(LaunchSpec spec, IOException e) {
    String message = String.valueOf(e.getMessage());
    if (e.getCause() instanceof FileNotFoundException notFound) {
      Matcher file = FILE.matcher(String.valueOf(notFound.getMessage()));
      if (file.matches()) {
        String reason = file.group(2);
        return new StartFailure(spec,
            "cannot open " + file.group(1) + ": " + reason, NAMES_BY_REASON.get(reason), e);
      }
    }
    Matcher errno = ERRNO.matcher(message);
    if (errno.find()) {
      boolean old = errno.group(1) != null;
      String reason = (old ? errno.group(2) : errno.group(4)).trim();
      int number = Integer.parseInt(old ? errno.group(1) : errno.group(3));
      return new StartFailure(spec, reason, NAMES.get(number), e);
    }
    Matcher file = FILE.matcher(message);
    if (file.matches()) {
      String reason = file.group(2);
      return new StartFailure(spec,
          "cannot open " + file.group(1) + ": " + reason, NAMES_BY_REASON.get(reason), e);
    }
    return new StartFailure(spec, message, null, e);
  }
}

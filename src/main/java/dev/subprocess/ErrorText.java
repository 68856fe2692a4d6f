package dev.subprocess;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Writes the messages of this package's exceptions: what ran, where, what happened, and stderr's tail. */
final class ErrorText {
  /** The most lines of stderr a message quotes. */
  static final int TAIL_LINES = 10;
  /** The most characters of stderr a message quotes. */
  static final int TAIL_CHARS = 2000;

  private ErrorText() {}

  static Path jvmWorkingDirectory() {
    return Path.of("").toAbsolutePath();
  }

  static String calledProcess(List<String> command, Path cwd, int returnCode, byte[] stderr) {
    String status = returnCode < 0
        ? "died with signal " + -returnCode + " (" + Signals.name(-returnCode) + ")."
        : "returned non-zero exit status " + returnCode + ".";
    return "Command '" + command + "' " + status + where(cwd) + stderrTail(stderr);
  }

  static String timedOut(List<String> command, Path cwd, Duration timeout, byte[] stderr) {
    return "Command '" + command + "' timed out after " + seconds(timeout) + where(cwd) + stderrTail(stderr);
  }

  static String outputLimit(List<String> command, Path cwd, String what) {
    return "Command '" + command + "' " + what + "." + where(cwd);
  }

  static String cannotStart(List<String> command, String program, Path cwd, String reason, String errorName) {
    return "Cannot run program '" + program + "' in directory " + cwd + ": " + reason
        + (errorName == null ? "" : " (" + errorName + ")") + "\n  command: " + command;
  }

  private static String where(Path cwd) {
    return cwd == null ? "" : "\n  working directory: " + cwd;
  }

  static String seconds(Duration d) {
    long millis = d.toMillis();
    if (millis % 1000 == 0) {
      long s = millis / 1000;
      return s + (s == 1 ? " second." : " seconds.");
    }
    return (millis / 1000.0) + " seconds.";
  }

  /** Quotes the last lines of {@code stderr}, indented, or nothing when there is no stderr to quote. */
  static String stderrTail(byte[] stderr) {
    if (stderr == null || stderr.length == 0) {
      return "";
    }
    int from = Math.max(0, stderr.length - TAIL_CHARS * 4);
    String text = new String(stderr, from, stderr.length - from, StandardCharsets.UTF_8).stripTrailing();
    if (text.length() > TAIL_CHARS) {
      text = text.substring(text.length() - TAIL_CHARS);
    }
    String[] lines = text.split("\r\n|\r|\n", -1);
    int first = Math.max(0, lines.length - TAIL_LINES);
    StringBuilder out = new StringBuilder("\n  stderr (last ")
        .append(lines.length - first).append(lines.length - first == 1 ? " line):" : " lines):");
    for (int i = first; i < lines.length; i++) {
      out.append("\n    ").append(lines[i]);
    }
    return out.toString();
  }
}

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
    return "Command '" + shown(command) + "' " + status(returnCode) + where(cwd) + stderrTail(stderr);
  }

  /** Says how the process ended as Python does, naming the signal only when Linux has a name for it. */
  private static String status(int returnCode) {
    if (returnCode >= 0) {
      return "returned non-zero exit status " + returnCode + ".";
    }
    long signal = -(long) returnCode;
    String name = signal <= Integer.MAX_VALUE ? Signals.name((int) signal) : null;
    if (name == null || name.equals("SIG" + signal)) {
      return "died with unknown signal " + signal + ".";
    }
    return "died with signal " + signal + " (" + name + ").";
  }

  /**
   * Returns the command as Python names it: the script alone for a {@code /bin/sh -c script} (as Python shows
   * {@code shell=True}'s string), otherwise the argv.
   */
  static String shown(List<String> command) {
    if (command.size() == 3 && command.get(0).equals("/bin/sh") && command.get(1).equals("-c")) {
      return command.get(2);
    }
    return command.toString();
  }

  /**
   * Describes a failed pipeline: every stage's argv and return code, then each failed stage, numbered from 1 and
   * named as {@link #shown} names it, with its status and the tail of its stderr; the working directory once when
   * the stages share it.
   */
  static String pipelineFailed(List<CompletedProcess> stages, List<PipelineException.FailedStage> failed) {
    StringBuilder s = new StringBuilder("Pipeline failed: ");
    List<Integer> codes = new java.util.ArrayList<>(stages.size());
    Path cwd = stages.get(0).workingDirectory();
    boolean oneDirectory = true;
    for (int i = 0; i < stages.size(); i++) {
      s.append(i == 0 ? "" : " | ").append(stages.get(i).args());
      codes.add(stages.get(i).returnCode());
      oneDirectory &= cwd.equals(stages.get(i).workingDirectory());
    }
    s.append(" returned ").append(codes).append('.');
    for (PipelineException.FailedStage stage : failed) {
      CompletedProcess done = stages.get(stage.index());
      s.append("\n  stage ").append(stage.index() + 1).append(" of ").append(stages.size()).append(" '")
          .append(shown(done.args())).append("' ").append(status(stage.returnCode()));
      if (!oneDirectory) {
        s.append(where(done.workingDirectory()).replace("\n", "\n  "));
      }
      s.append(stderrTail(done.stderr()).replace("\n", "\n  "));
    }
    return s.append(oneDirectory ? where(cwd) : "").toString();
  }

  static String timedOut(List<String> command, Path cwd, Duration timeout, byte[] stderr) {
    return "Command '" + shown(command) + "' timed out after " + seconds(timeout) + where(cwd)
        + stderrTail(stderr);
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

  /** Quotes {@code d} in seconds, to the nanosecond it was given with. */
  static String seconds(Duration d) {
    java.math.BigDecimal s = java.math.BigDecimal.valueOf(d.getSeconds())
        .add(java.math.BigDecimal.valueOf(d.getNano(), 9)).stripTrailingZeros();
    return s.toPlainString() + (s.compareTo(java.math.BigDecimal.ONE) == 0 ? " second." : " seconds.");
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

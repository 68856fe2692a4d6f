package dev.subprocess.pool;

import dev.subprocess.SubprocessException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;

/**
 * Signals that a worker of a {@link WorkerPool} could not answer a request: it died (crashed, exited, closed its
 * stdout mid-response) or wrote something its framing cannot read. The message names the worker's pid, its
 * return code and the tail of its stderr. The worker has been replaced by then; other requests are unaffected.
 *
 * <pre>{@code
 * pool.submit("crash").onErrorResume(WorkerException.class, e -> Mono.just("worker " + e.pid() + " died"));
 * }</pre>
 */
public class WorkerException extends SubprocessException {
  private static final long serialVersionUID = 1L;
  /** The most lines of stderr a message quotes. */
  private static final int TAIL_LINES = 10;
  /** The most characters of stderr a message quotes. */
  private static final int TAIL_CHARS = 2000;

  /** The worker's process id. */
  private final long pid;
  /** The worker's return code, or null when it had not exited. */
  private final Integer returnCode;
  private final transient byte[] stderr;

  /**
   * Creates the exception for worker {@code pid} of {@code command}.
   *
   * @param command the argv of the worker, never null
   * @param workingDirectory the directory the worker ran in, never null
   * @param pid the worker's process id
   * @param what what went wrong, as a sentence fragment: "died while answering a request"
   * @param returnCode the worker's return code, or null while it is still running
   * @param stderr the tail of the worker's stderr, or null
   * @param cause the underlying failure, or null
   */
  public WorkerException(List<String> command, Path workingDirectory, long pid, String what, Integer returnCode,
      byte[] stderr, Throwable cause) {
    super(command, workingDirectory, message(command, workingDirectory, pid, what, returnCode, stderr), cause);
    this.pid = pid;
    this.returnCode = returnCode;
    this.stderr = stderr;
  }

  /**
   * Returns the process id of the worker.
   *
   * @return the worker's pid
   */
  public long pid() {
    return pid;
  }

  /**
   * Returns the worker's return code ({@code -N} for signal N), or empty when it had not exited.
   *
   * @return the return code, if the worker had exited
   */
  public OptionalInt returnCode() {
    return returnCode == null ? OptionalInt.empty() : OptionalInt.of(returnCode);
  }

  /**
   * Returns the last bytes the worker wrote to stderr.
   *
   * @return the stderr tail, possibly empty, or null after deserialization
   */
  public byte[] stderr() {
    return stderr;
  }

  private static String message(List<String> command, Path cwd, long pid, String what, Integer code,
      byte[] stderr) {
    String status;
    if (code == null) {
      status = "";
    } else if (code < 0) {
      status = " (it died with signal " + -code + ")";
    } else {
      status = " (it exited with status " + code + ")";
    }
    return "Worker process " + pid + " of " + command + " " + what + status + ".\n  working directory: " + cwd
        + tail(stderr);
  }

  private static String tail(byte[] stderr) {
    if (stderr == null || stderr.length == 0) {
      return "\n  stderr: empty";
    }
    String text = new String(stderr, StandardCharsets.UTF_8).stripTrailing();
    if (text.length() > TAIL_CHARS) {
      text = text.substring(text.length() - TAIL_CHARS);
    }
    String[] lines = text.split("\r\n|\r|\n", -1);
    int first = Math.max(0, lines.length - TAIL_LINES);
    StringBuilder out = new StringBuilder("\n  stderr (last ").append(lines.length - first)
        .append(lines.length - first == 1 ? " line):" : " lines):");
    for (int i = first; i < lines.length; i++) {
      out.append("\n    ").append(lines[i]);
    }
    return out.toString();
  }
}

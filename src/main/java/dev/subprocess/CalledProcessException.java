package dev.subprocess;

import java.nio.file.Path;
import java.util.List;

/**
 * Signals that a process checked with {@link Command#check()}, {@link CompletedProcess#checkReturnCode()} or
 * one of the checking one-liners ended with a non-zero return code: Python's {@code CalledProcessError}.
 *
 * <p>The message starts as Python's does ({@code Command '[false]' returned non-zero exit status 1.}, or
 * {@code ... died with signal 9 (SIGKILL).} for a negative return code, {@code ... died with unknown signal N.}
 * for a number Linux has no name for), then names the working directory and quotes the tail of the captured
 * stderr, when there is one. A {@link Command#shell(String)} command is named by its script, as Python names a
 * {@code shell=True} command: {@code Command 'exit 1' returned non-zero exit status 1.}
 *
 * <pre>{@code
 * Mono<String> head = Command.of("git", "rev-parse", "HEAD").captureOutput().check().run()
 *     .map(CompletedProcess::stdoutText)
 *     .onErrorResume(CalledProcessException.class, e -> e.returnCode() == 128
 *         ? Mono.just("not a repository")       // git's status for "not a git repository"
 *         : Mono.error(e));
 * }</pre>
 */
public class CalledProcessException extends SubprocessException {
  private static final long serialVersionUID = 1L;

  /** The exit status, or {@code -N} for a process killed by signal N. */
  private final int returnCode;
  private final transient byte[] stdout;
  private final transient byte[] stderr;

  /**
   * Creates the exception for {@code command}, which ended with {@code returnCode} in the JVM's working directory.
   *
   * @param command the argv of the process, never null
   * @param returnCode the non-zero exit status, or {@code -N} when the process was killed by signal N
   * @param stdout what was captured of stdout, or null when it was not captured
   * @param stderr what was captured of stderr, or null when it was not captured
   */
  public CalledProcessException(List<String> command, int returnCode, byte[] stdout, byte[] stderr) {
    this(command, ErrorText.jvmWorkingDirectory(), returnCode, stdout, stderr);
  }

  /**
   * Creates the exception for {@code command}, which ran in {@code workingDirectory} and ended with
   * {@code returnCode}.
   *
   * @param command the argv of the process, never null
   * @param workingDirectory the directory the process ran in, never null
   * @param returnCode the non-zero exit status, or {@code -N} when the process was killed by signal N
   * @param stdout what was captured of stdout, or null when it was not captured
   * @param stderr what was captured of stderr (or its tail), or null when it was not captured
   */
  public CalledProcessException(
      List<String> command, Path workingDirectory, int returnCode, byte[] stdout, byte[] stderr) {
    super(command, workingDirectory, ErrorText.calledProcess(command, workingDirectory, returnCode, stderr), null);
    this.returnCode = returnCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Creates the exception with a message of its own, for the subclasses that report more than one process.
   *
   * @param command the argv of the process the return code belongs to, never null
   * @param workingDirectory the directory that process ran in, never null
   * @param returnCode the non-zero exit status, or {@code -N} when the process was killed by signal N
   * @param stdout what was captured of stdout, or null when it was not captured
   * @param stderr what was captured of that process's stderr (or its tail), or null when it was not captured
   * @param message the whole message, already naming the command
   */
  protected CalledProcessException(List<String> command, Path workingDirectory, int returnCode, byte[] stdout,
      byte[] stderr, String message) {
    super(command, workingDirectory, message, null);
    this.returnCode = returnCode;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Returns the return code: the exit status, or {@code -N} when the process was killed by signal N.
   *
   * @return the non-zero return code that made the check fail
   */
  public int returnCode() {
    return returnCode;
  }

  /**
   * Returns the captured stdout, or null when stdout was not captured. The array is not copied.
   *
   * @return the stdout bytes as captured, or null
   */
  public byte[] stdout() {
    return stdout;
  }

  /**
   * Returns the captured stderr (for streaming calls, its tail), or null when it was not captured.
   *
   * @return the stderr bytes as captured, or null
   */
  public byte[] stderr() {
    return stderr;
  }
}

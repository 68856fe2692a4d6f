package dev.subprocess;

import java.nio.file.Path;
import java.util.List;

/**
 * Signals that a process could not be started: the program was not found or not executable, the working
 * directory did not exist, the system ran out of processes or file descriptors, or a redirect's file could
 * not be opened.
 *
 * <p>The message names the program, the working directory and the operating system's reason, for example
 * {@code Cannot run program 'nosuch' in directory /srv/app: No such file or directory (ENOENT)}.
 *
 * <pre>{@code
 * Mono<CompletedProcess> run = Command.of("terraform", "plan").run()
 *     .onErrorMap(ProcessStartException.class, e -> "ENOENT".equals(e.errorName())
 *         ? new IllegalStateException("install terraform first", e)
 *         : e);
 * }</pre>
 */
public class ProcessStartException extends SubprocessException {
  private static final long serialVersionUID = 1L;

  /** The operating system's reason in words. */
  private final String reason;
  /** The symbolic error name, or null when unknown. */
  private final String errorName;

  /**
   * Creates the exception for {@code command}, which could not start in {@code workingDirectory}.
   *
   * @param command the argv of the process that could not start, never null
   * @param workingDirectory the directory the process was to run in, never null
   * @param reason the operating system's reason in words, such as {@code No such file or directory}
   * @param errorName the symbolic error, such as {@code ENOENT}, or null when unknown
   * @param cause the underlying failure, or null
   */
  public ProcessStartException(
      List<String> command, Path workingDirectory, String reason, String errorName, Throwable cause) {
    this(command, command.isEmpty() ? "" : command.get(0), workingDirectory, reason, errorName, cause);
  }

  /**
   * Creates the exception for {@code command}, whose {@code program} could not start in {@code workingDirectory}:
   * the message names {@code program}, which differs from {@code command.get(0)} when {@code
   * Command.executable(...)} gives the file to execute.
   *
   * @param command the argv of the process that could not start, never null
   * @param program the file that was to be executed, never null
   * @param workingDirectory the directory the process was to run in, never null
   * @param reason the operating system's reason in words, such as {@code No such file or directory}
   * @param errorName the symbolic error, such as {@code ENOENT}, or null when unknown
   * @param cause the underlying failure, or null
   */
  public ProcessStartException(List<String> command, String program, Path workingDirectory, String reason,
      String errorName, Throwable cause) {
    super(command, workingDirectory, ErrorText.cannotStart(command, program, workingDirectory, reason, errorName),
        cause);
    this.reason = reason;
    this.errorName = errorName;
  }

  /**
   * Returns the operating system's reason in words, such as {@code Permission denied}.
   *
   * @return the reason, as the message quotes it
   */
  public String reason() {
    return reason;
  }

  /**
   * Returns the symbolic error name, such as {@code ENOENT} or {@code EACCES}, or null when unknown.
   *
   * @return the {@code errno} name, or null
   */
  public String errorName() {
    return errorName;
  }
}

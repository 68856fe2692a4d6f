package dev.subprocess;

import java.nio.file.Path;
import java.util.List;

/**
 * Signals that a process wrote more than the library agreed to hold in memory for it: a line of
 * {@link Command#lines()} longer than {@link Command#maxLineLength(int)}, or captured output beyond
 * {@link Command#captureLimit(int)}. The process has been stopped and reaped when this is delivered.
 *
 * <pre>{@code
 * Command.of("cat", "huge.log").captureOutput().captureLimit(1 << 20).run()
 *     .onErrorResume(OutputLimitException.class, e -> Mono.empty());
 * }</pre>
 */
public class OutputLimitException extends SubprocessException {
  private static final long serialVersionUID = 1L;

  /** The limit the output exceeded, in characters for a line and in bytes for a capture. */
  private final long limit;

  /**
   * Creates the exception for {@code command}, run in {@code workingDirectory}, whose output went past
   * {@code limit}.
   *
   * @param command the argv of the process, never null
   * @param workingDirectory the directory the process ran in, never null
   * @param what what went past the limit and which option sets it, such as
   *     {@code "wrote a line of stdout longer than 10 characters, the limit set by Command.maxLineLength"}
   * @param limit the limit that was exceeded, in the unit {@code what} names
   */
  public OutputLimitException(List<String> command, Path workingDirectory, String what, long limit) {
    super(command, workingDirectory, ErrorText.outputLimit(command, workingDirectory, what), null);
    this.limit = limit;
  }

  /**
   * Returns the limit the output exceeded.
   *
   * @return the limit, in characters for a line and in bytes for a capture
   */
  public long limit() {
    return limit;
  }
}

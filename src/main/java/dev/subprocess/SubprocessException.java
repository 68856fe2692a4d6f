package dev.subprocess;

import java.nio.file.Path;
import java.util.List;

/**
 * Signals that a process could not be started or did not end as the caller required.
 *
 * <p>Unchecked, like everything a {@code Mono} or {@code Flux} of this library fails with. Every instance
 * names the command and the working directory it ran in, so that the message alone tells what happened.
 *
 * <pre>{@code
 * Flux<String> lines = Command.of("./export.sh").lines()
 *     .onErrorResume(SubprocessException.class, e -> {
 *       log.error("export failed in {}: {}", e.workingDirectory(), e.getMessage());
 *       return Flux.empty();
 *     });
 * }</pre>
 */
public class SubprocessException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The argv of the process, an immutable copy. */
  @SuppressWarnings("serial") // an immutable list from List.copyOf, which is serializable
  private final List<String> command;
  private final transient Path workingDirectory;

  /**
   * Creates an exception about {@code command}, run in {@code workingDirectory}, with a complete message.
   *
   * @param command the argv of the process, never null
   * @param workingDirectory the directory the process ran or was to run in, never null
   * @param message the whole message, already naming the command
   * @param cause the underlying failure, or null
   */
  protected SubprocessException(List<String> command, Path workingDirectory, String message, Throwable cause) {
    super(message, cause);
    this.command = List.copyOf(command);
    this.workingDirectory = workingDirectory;
  }

  /**
   * Returns the argv of the process this exception is about.
   *
   * @return the program followed by its arguments, as an unmodifiable list
   */
  public List<String> command() {
    return command;
  }

  /**
   * Returns the directory the process ran in (or was to run in).
   *
   * @return the working directory, or null after deserialization (it is not serialized)
   */
  public Path workingDirectory() {
    return workingDirectory;
  }
}

package dev.subprocess.ssh;

import dev.subprocess.SubprocessException;
import java.nio.file.Path;
import java.util.List;

/**
 * Signals that the connection to a remote host broke while a process ran there: the channel closed before the
 * server reported the process's exit (the server or the network went down). Whether the remote process still
 * runs cannot be known from here.
 *
 * <pre>{@code
 * command.on(host).run().onErrorResume(ConnectionLostException.class, e -> retry(e.host()));
 * }</pre>
 */
public class ConnectionLostException extends SubprocessException {
  private static final long serialVersionUID = 1L;

  /** The host whose connection broke. */
  private final String host;

  /**
   * Creates the exception for {@code command}, which was running on {@code host}.
   *
   * @param command the argv of the remote process
   * @param workingDirectory where it ran, as {@code host:directory}
   * @param host the host's name, such as {@code ci@build-3:22}
   * @param message the whole message
   * @param cause the underlying failure, or null
   */
  public ConnectionLostException(List<String> command, Path workingDirectory, String host, String message,
      Throwable cause) {
    super(command, workingDirectory, message, cause);
    this.host = host;
  }

  /**
   * Returns the name of the host whose connection broke.
   *
   * @return the host's name, as {@link SshHost#name()} gives it
   */
  public String host() {
    return host;
  }
}

package dev.subprocess.ssh;

import dev.subprocess.CalledProcessException;
import java.nio.file.Path;
import java.util.List;

/**
 * Signals that a checked run on a remote host failed because {@link SshHost#close()} stopped its process: the
 * close ends what still runs on the host with each process's stop policy, and the run then reports the return
 * code the stop caused ({@code -15} for SIGTERM) as any {@link CalledProcessException} does, saying that the host
 * was closed. It is a {@code CalledProcessException}, so that code catching that still catches it.
 *
 * <pre>{@code
 * command.on(host).output()
 *     .onErrorResume(HostClosedException.class, e -> Flux.empty());   // shutting down: nothing more to read
 * }</pre>
 */
public class HostClosedException extends CalledProcessException {
  private static final long serialVersionUID = 1L;

  /** The host whose close stopped the process. */
  private final String host;

  /**
   * Creates the exception for {@code command}, which {@code host}'s close stopped.
   *
   * @param command the argv of the remote process
   * @param workingDirectory where it ran, as {@code host:directory}
   * @param host the host's name, such as {@code ci@build-3:22}
   * @param returnCode the return code the stop caused, {@code -N} for signal N
   * @param stdout what was captured of stdout, or null when it was not captured
   * @param stderr what was captured of stderr (or its tail), or null when it was not captured
   * @param message the whole message, naming the command and the host
   */
  public HostClosedException(List<String> command, Path workingDirectory, String host, int returnCode,
      byte[] stdout, byte[] stderr, String message) {
    super(command, workingDirectory, returnCode, stdout, stderr, message);
    this.host = host;
  }

  /**
   * Returns the name of the host whose close stopped the process.
   *
   * @return the host's name, as {@link SshHost#name()} gives it
   */
  public String host() {
    return host;
  }
}

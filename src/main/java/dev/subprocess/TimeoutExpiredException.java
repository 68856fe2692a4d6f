package dev.subprocess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Signals that a process ran longer than its {@link Command#timeout(Duration) timeout}: Python's
 * {@code TimeoutExpired}.
 *
 * <p>By the time this exception is delivered the process has been stopped (its kill signal, then SIGKILL after
 * the grace period) and reaped; the exception carries whatever output was captured until then.
 *
 * <pre>{@code
 * Mono<CompletedProcess> tests = Command.of("./run-tests").captureOutput()
 *     .timeout(Duration.ofMinutes(5))
 *     .run()
 *     .doOnError(TimeoutExpiredException.class, e ->
 *         log.warn("tests timed out after {}; last output: {}", e.timeout(), new String(e.stdout(), UTF_8)));
 * }</pre>
 */
public class TimeoutExpiredException extends SubprocessException {
  private static final long serialVersionUID = 1L;

  private final transient Duration timeout;
  private final transient byte[] stdout;
  private final transient byte[] stderr;

  /**
   * Creates the exception for {@code command}, run in {@code workingDirectory}, that outlived {@code timeout}.
   *
   * @param command the argv of the process, never null
   * @param workingDirectory the directory the process ran in, never null
   * @param timeout the time limit the process exceeded, as given (zero or less passes at the start)
   * @param stdout what was captured of stdout before the process was stopped, or null when not captured
   * @param stderr what was captured of stderr before the process was stopped, or null when not captured
   */
  public TimeoutExpiredException(
      List<String> command, Path workingDirectory, Duration timeout, byte[] stdout, byte[] stderr) {
    super(command, workingDirectory, ErrorText.timedOut(command, workingDirectory, timeout, stderr), null);
    this.timeout = timeout;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Returns the time limit the process exceeded.
   *
   * @return the {@link Command#timeout(Duration) timeout} that expired
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Returns the stdout captured before the process was stopped, or null when stdout was not captured.
   *
   * @return the stdout bytes captured until the timeout, or null
   */
  public byte[] stdout() {
    return stdout;
  }

  /**
   * Returns the stderr captured before the process was stopped, or null when stderr was not captured.
   *
   * @return the stderr bytes captured until the timeout, or null
   */
  public byte[] stderr() {
    return stderr;
  }
}

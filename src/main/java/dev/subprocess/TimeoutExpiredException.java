package dev.subprocess;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Signals that a process ran longer than its {@link Command#timeout(Duration) timeout}, or than the owner of a
 * started process was willing to wait: Python's {@code TimeoutExpired}.
 *
 * <p>For a command's {@link Command#timeout(Duration) timeout}, by the time this exception is delivered the process
 * has been stopped (its kill signal, then SIGKILL after the grace period) and reaped; the exception carries
 * whatever output was captured until then. For {@link RunningProcess#exitCode(Duration)} and
 * {@link RunningProcess#communicate(byte[], Duration)}, as in Python, nothing was stopped: the process is still
 * running, a later {@code communicate()} goes on where this one stopped, and the exception carries what
 * {@code communicate} had read so far.
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
   * @param timeout the time limit the process exceeded, as given (zero or less passes at the start), or the wait
   *     that expired (zero or negative for a poll)
   * @param stdout what was captured of stdout until the timeout, or null when not captured
   * @param stderr what was captured of stderr until the timeout, or null when not captured
   */
  public TimeoutExpiredException(
      List<String> command, Path workingDirectory, Duration timeout, byte[] stdout, byte[] stderr) {
    super(command, workingDirectory, ErrorText.timedOut(command, workingDirectory, timeout, stderr), null);
    this.timeout = timeout;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Returns the time limit the process exceeded, or how long its owner waited.
   *
   * @return the {@link Command#timeout(Duration) timeout} that expired, or the timeout given to the wait
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Returns the stdout captured until the timeout, or null when stdout was not captured.
   *
   * @return the stdout bytes captured until the timeout, or null
   */
  public byte[] stdout() {
    return stdout;
  }

  /**
   * Returns the stderr captured until the timeout, or null when stderr was not captured.
   *
   * @return the stderr bytes captured until the timeout, or null
   */
  public byte[] stderr() {
    return stderr;
  }
}

package dev.subprocess.pool;

import dev.subprocess.TimeoutExpiredException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The {@link TimeoutExpiredException} of a request that a worker did not answer in time: it names the worker. */
final class WorkerTimeoutException extends TimeoutExpiredException {
  private static final long serialVersionUID = 1L;

  private final long pid;

  WorkerTimeoutException(List<String> command, Path cwd, long pid, Duration timeout, byte[] stderr) {
    super(command, cwd, timeout, null, stderr);
    this.pid = pid;
  }

  @Override
  public String getMessage() {
    return "Worker process " + pid + " did not answer a request in time; it was stopped and is replaced. "
        + super.getMessage();
  }
}

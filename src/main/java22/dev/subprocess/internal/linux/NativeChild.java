package dev.subprocess.internal.linux;

import dev.subprocess.internal.ChildProcess;
import dev.subprocess.internal.ChildUsage;
import dev.subprocess.internal.PipeSink;
import dev.subprocess.internal.PipeSource;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Controls a child started with {@code posix_spawn}. Its exit is watched through a pidfd on the event loop and
 * reaped with {@code waitid(P_PIDFD)}, independently of its output; signals go through the pidfd, so they can never
 * reach a process that reused the pid. Return codes are exact: {@code -N} for death by signal {@code N}.
 */
final class NativeChild extends EventLoop.Watch implements ChildProcess {
  private static final Logger log = LoggerFactory.getLogger(NativeChild.class);

  private final long pid;
  private final NativePipeSink stdin;
  private final NativePipeSource stdout;
  private final NativePipeSource stderr;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private volatile ChildUsage usage;

  NativeChild(long pid, int pidfd, NativePipeSink stdin, NativePipeSource stdout, NativePipeSource stderr)
      throws NativeException {
    super(pidfd);
    this.pid = pid;
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
    EventLoop loop = EventLoop.get();
    loop.add(this);
    loop.arm(this, Libc.EPOLLIN);
  }

  @Override
  void ready(int events) {
    Reaping.Reaped reaped;
    synchronized (this) {
      if (isClosed()) {
        return;
      }
      try {
        reaped = Reaping.reap(fd);
      } catch (NativeException e) {
        log.error("cannot reap process {}: {}", pid, e.getMessage());
        return;
      }
    }
    if (reaped == null) {
      EventLoop.get().arm(this, Libc.EPOLLIN);
      return;
    }
    usage = reaped.usage();
    EventLoop.get().close(this);
    exit.complete(reaped.code());
  }

  @Override
  public ChildUsage usage() {
    return usage;
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public PipeSink stdin() {
    return stdin;
  }

  @Override
  public PipeSource stdout() {
    return stdout;
  }

  @Override
  public PipeSource stderr() {
    return stderr;
  }

  @Override
  public CompletableFuture<Integer> exit() {
    return exit;
  }

  @Override
  public void signal(int signal, boolean group) {
    synchronized (this) {
      if (isClosed()) {
        return;
      }
      int rc = group ? Posix.killGroup(pid, signal) : Posix.pidfdSendSignal(fd, signal);
      if (rc != 0 && rc != -Libc.ESRCH) {
        throw new IllegalStateException(new NativeException(group ? "kill" : "pidfd_send_signal", -rc));
      }
    }
  }

  @Override
  public void release() {
    if (stdin != null) {
      stdin.abort();
    }
    if (stdout != null) {
      stdout.close();
    }
    if (stderr != null) {
      stderr.close();
    }
  }
}

package dev.subprocess.internal.linux;

import dev.subprocess.internal.ChildProcess;
import dev.subprocess.internal.ChildUsage;
import dev.subprocess.internal.PipeSink;
import dev.subprocess.internal.PipeSource;
import dev.subprocess.internal.ProcessTree;
import dev.subprocess.internal.SessionGroups;
import dev.subprocess.internal.SignalNumbers;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Controls a child started with {@code posix_spawn}. Its exit is watched through a pidfd on the event loop and
 * reaped with {@code waitid(P_PIDFD)}, independently of its output; signals go through the pidfd, so they can never
 * reach a process that reused the pid. Return codes are exact: {@code -N} for death by signal {@code N}.
 *
 * <p>A signal for the process and its descendants goes to its process group when it leads one: only while it is
 * unreaped, since its pid keeps the group's number from being reused until then (the reap and every signal take
 * the same lock). Once such a signal was sent, the process's exit SIGKILLs what is left of its group before the
 * reap (or of the descendants found, when it leads no group): a stopped process leaves nothing running.
 */
final class NativeChild extends EventLoop.Watch implements ChildProcess {
  private static final Logger log = LoggerFactory.getLogger(NativeChild.class);

  private final long pid;
  private final NativePipeSink stdin;
  private final NativePipeSource stdout;
  private final NativePipeSource stderr;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final boolean group;
  /** Whether the process leads a session, whose other process groups (a shell's jobs) the stop policy reaches. */
  private final boolean session;
  private final ProcessTree descendants;
  /** Set under this object's lock, with the reap. */
  private boolean reaped;
  /** Set under this object's lock once the process and its descendants were signalled. */
  private boolean stopping;
  private volatile ChildUsage usage;

  NativeChild(long pid, int pidfd, boolean group, boolean session, NativePipeSink stdin, NativePipeSource stdout,
      NativePipeSource stderr) throws NativeException {
    super(pidfd);
    this.pid = pid;
    this.group = group;
    this.session = session;
    this.descendants = group ? null : new ProcessTree(pid);
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
    EventLoop.get().add(this, Libc.EPOLLIN | Libc.EPOLLONESHOT);
  }

  @Override
  void ready(int events) {
    Reaping.Reaped done;
    synchronized (this) {
      if (isClosed()) {
        return;
      }
      if (stopping && group) {
        // The pidfd is readable: the leader has exited but is not reaped, so its group's number is still ours.
        Posix.killGroup(pid, SignalNumbers.SIGKILL);
        signalSessionGroups(SignalNumbers.SIGKILL);
      }
      try {
        done = Reaping.reap(fd);
      } catch (NativeException e) {
        log.error("cannot reap process {}: {}", pid, e.getMessage());
        return;
      }
      reaped = done != null;
    }
    if (done == null) {
      EventLoop.get().arm(this, Libc.EPOLLIN);
      return;
    }
    if (descendants != null && stoppingNow()) {
      descendants.killRemaining();
    }
    usage = done.usage();
    EventLoop.get().close(this);
    exit.complete(done.code());
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
  public boolean leadsProcessGroup() {
    return group;
  }

  @Override
  public void signal(int signal, boolean tree) {
    if (tree && descendants != null) {
      descendants.collect();
    }
    synchronized (this) {
      if (isClosed() || reaped) {
        return;
      }
      stopping |= tree;
      boolean toGroup = tree && group;
      int rc = toGroup ? Posix.killGroup(pid, signal) : Posix.pidfdSendSignal(fd, signal);
      if (rc != 0 && rc != -Libc.ESRCH) {
        throw new IllegalStateException(new NativeException(toGroup ? "kill" : "pidfd_send_signal", -rc));
      }
      if (tree) {
        signalSessionGroups(signal);
      }
    }
    if (tree && descendants != null) {
      descendants.signal(signal);
    }
  }

  /**
   * Signals the other process groups of the session this process leads, if it leads one. Called under this
   * object's lock before the reap, while the session's number cannot belong to anyone else.
   */
  private void signalSessionGroups(int signal) {
    if (session) {
      for (long other : SessionGroups.otherThanTheLeaders(pid)) {
        Posix.killGroup(other, signal);
      }
    }
  }

  private synchronized boolean stoppingNow() {
    return stopping;
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

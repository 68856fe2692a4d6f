package dev.subprocess.internal;

import dev.subprocess.Signals;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds and signals the descendants of a process that leads no process group of its own, for the stop policy.
 * Every descendant found is remembered, so that those orphaned when their parent dies are still reached; a
 * {@link ProcessHandle} checks the start time before it signals, so a reused pid is never hit.
 *
 * <p>Descendants are found by walking {@code /proc} ({@link ProcessHandle#descendants()}) when a stop signal is
 * sent: one started after the last walk and orphaned before the process exits is not reached.
 */
public final class ProcessTree {
  private final long pid;
  private final Set<ProcessHandle> seen = ConcurrentHashMap.newKeySet();

  /** Creates the tree under process {@code pid}. */
  public ProcessTree(long pid) {
    this.pid = pid;
  }

  /** Remembers the descendants the process has now; call before signalling the process itself. */
  public void collect() {
    ProcessHandle.of(pid).ifPresent(p -> p.descendants().forEach(seen::add));
  }

  /** Sends the remembered descendants SIGKILL when {@code signal} is SIGKILL, SIGTERM otherwise. */
  public void signal(int signal) {
    for (ProcessHandle descendant : seen) {
      if (signal == Signals.SIGKILL) {
        descendant.destroyForcibly();
      } else {
        descendant.destroy();
      }
    }
  }

  /** Returns the pids of the remembered descendants that are still alive. */
  public java.util.List<Long> alive() {
    return seen.stream().filter(ProcessHandle::isAlive).map(ProcessHandle::pid).toList();
  }

  /** Kills the remembered descendants that are still alive: the process itself has exited. */
  public void killRemaining() {
    signal(Signals.SIGKILL);
  }
}

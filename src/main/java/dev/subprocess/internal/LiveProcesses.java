package dev.subprocess.internal;

import dev.subprocess.Signals;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks the processes that are still running, so that the JVM does not leave them behind: at a normal exit a
 * shutdown hook sends each, with its descendants, its kill signal, waits briefly, then SIGKILLs the survivors;
 * at any other death the {@link Watchdog} stops them. Setting the system property {@value #PROPERTY} to
 * {@code false} lets children outlive the JVM (neither the hook nor the watchdog is set up).
 */
final class LiveProcesses {
  /** The system property that switches the stop at JVM exit off. */
  static final String PROPERTY = "dev.subprocess.stopChildrenOnExit";

  /** How long the shutdown hook waits for children to obey their kill signal before it SIGKILLs them. */
  private static final long EXIT_GRACE_MILLIS = 1000;

  private static final Logger log = LoggerFactory.getLogger(LiveProcesses.class);
  private static final Set<Execution> LIVE = ConcurrentHashMap.newKeySet();
  private static final boolean STOP_ON_EXIT = !"false".equalsIgnoreCase(System.getProperty(PROPERTY));

  static {
    if (STOP_ON_EXIT) {
      Runtime.getRuntime().addShutdownHook(new Thread(LiveProcesses::stopAll, "subprocess-exit"));
    }
  }

  private LiveProcesses() {}

  static void add(Execution execution) {
    LIVE.add(execution);
    // A remote pid is a number on another host: the watchdog, which signals pids here, must not know it.
    Watchdog watchdog = local(execution) ? watchdog() : null;
    if (watchdog != null) {
      ChildProcess child = execution.child();
      try {
        watchdog.register(child.pid(), child.leadsProcessGroup());
      } catch (RuntimeException | Error e) {
        LIVE.remove(execution);
        // Its line may have been handed to the writer thread already: with no "- PID" after it, a JVM killed
        // later would have the watchdog stop whatever process then has that number.
        watchdog.unregister(child.pid());
        throw e;
      }
    }
  }

  static void remove(Execution execution) {
    if (LIVE.remove(execution)) {
      Watchdog watchdog = local(execution) ? watchdog() : null;
      if (watchdog != null) {
        watchdog.unregister(execution.child().pid());
      }
    }
  }

  private static boolean local(Execution execution) {
    return execution.spec().launch().host() == null;
  }

  /** Returns the watchdog that stops children if the JVM dies, or null when switched off or unavailable. */
  static Watchdog watchdog() {
    return STOP_ON_EXIT ? Watchdog.get() : null;
  }

  /** Returns how many started processes have not exited yet. */
  static int count() {
    return LIVE.size();
  }

  private static void stopAll() {
    stopLive();
    Watchdog watchdog = Watchdog.ifStarted();
    if (watchdog != null) {
      // the reaped children's lines that wait: the watchdog then has nobody left and exits
      watchdog.close(() -> LIVE.stream().noneMatch(LiveProcesses::local));
    }
  }

  private static void stopLive() {
    List<Execution> live = new ArrayList<>(LIVE);
    if (live.isEmpty()) {
      return;
    }
    log.debug("the JVM is exiting: stopping {} child processes", live.size());
    for (Execution e : live) {
      e.send(e.spec().killSignal());
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(EXIT_GRACE_MILLIS);
    for (Execution e : live) {
      long left = deadline - System.nanoTime();
      try {
        e.child().exit().get(Math.max(0, left), TimeUnit.NANOSECONDS);
      } catch (Exception notYet) {
        e.send(Signals.SIGKILL);
      }
    }
  }
}

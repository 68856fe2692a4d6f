package dev.subprocess.internal;

import reactor.util.context.ContextView;

/**
 * Restores the ThreadLocals (an MDC, a tracing context) that the subscriber's Reactor Context carries around the
 * library's own log lines, which are often written on the library's threads, and around the calls the library
 * makes into a stdin publisher (subscription, demand, cancellation). Does so with Micrometer's
 * context-propagation when the application has it, and does nothing otherwise.
 */
public final class LogContext {
  private static final boolean PROPAGATION = present("io.micrometer.context.ContextSnapshotFactory");

  private LogContext() {}

  /** Runs {@code logging} (or a call upstream) with the ThreadLocals of {@code context} restored, when possible. */
  public static void run(ContextView context, Runnable logging) {
    if (PROPAGATION && context != null && !context.isEmpty()) {
      Restorer.run(context, logging);
    } else {
      logging.run();
    }
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, LogContext.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Holds the one use of the optional dependency, loaded only when it is present. */
  private static final class Restorer {
    private static final io.micrometer.context.ContextSnapshotFactory SNAPSHOTS =
        io.micrometer.context.ContextSnapshotFactory.builder().build();

    static void run(ContextView context, Runnable logging) {
      try (io.micrometer.context.ContextSnapshot.Scope scope = SNAPSHOTS.setThreadLocalsFrom(context)) {
        logging.run();
      }
    }
  }
}

package dev.subprocess.internal;

import java.util.List;
import reactor.util.context.ContextView;

/**
 * Watches every process the engine starts, for an integration such as metrics and tracing; installed once per JVM
 * with {@link ProcessObservers#install(ProcessObserver)}. The engine calls it where it logs a process's start and
 * end, with the figures of those log lines, so that nothing is computed twice. Public only for the library's own
 * integrations in other packages of its module; this package is not exported.
 */
public interface ProcessObserver {

  /**
   * Announces a process about to start, on the subscribing thread, and returns what follows it.
   *
   * @param argv the argv of the process
   * @param context the subscriber's Context
   * @return the probe told what becomes of this process, or null to watch nothing of it
   */
  Probe starting(List<String> argv, ContextView context);

  /** Follows one process from its start to its end; each method is called at most once, in this order. */
  interface Probe {
    /**
     * Reports that the process started.
     *
     * @param pid its process id
     */
    void started(long pid);

    /**
     * Reports that the process could not start; nothing else follows.
     *
     * @param error why
     */
    void failed(Throwable error);

    /**
     * Reports that the process has ended and its operation released it.
     *
     * @param returnCode its return code, {@code -N} for death by signal {@code N}
     * @param outcome how it ended, as the caller sees it
     * @param stdoutBytes bytes read from its stdout
     * @param stderrBytes bytes read from its stderr
     * @param stdinBytes bytes written to its stdin
     */
    void ended(int returnCode, Outcome outcome, long stdoutBytes, long stderrBytes, long stdinBytes);
  }

  /** Says how a process ended. */
  enum Outcome {
    /** It exited with status 0. */
    OK,
    /** It exited with a non-zero status, died of a signal other than the stop policy's, or its input failed. */
    FAILED,
    /** The library stopped it when its time limit passed. */
    TIMED_OUT,
    /** The library stopped it because its subscriber cancelled or failed downstream. */
    CANCELLED
  }
}

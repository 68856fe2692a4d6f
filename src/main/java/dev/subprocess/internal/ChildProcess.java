package dev.subprocess.internal;

import java.util.concurrent.CompletableFuture;

/**
 * Controls one started child as a backend sees it: its pid, its piped streams, its exit, and signals.
 */
public interface ChildProcess {

  /** Returns the process id. */
  long pid();

  /** Returns the stdin pipe, or null when stdin is not {@code PIPE}. */
  PipeSink stdin();

  /** Returns the stdout pipe, or null when stdout is not {@code PIPE}. */
  PipeSource stdout();

  /** Returns the stderr pipe, or null when stderr is not {@code PIPE}. */
  PipeSource stderr();

  /**
   * Returns a future completed with the return code once the process has exited and been reaped: the exit
   * status, or {@code -N} for death by signal {@code N}. Completion runs dependents on a library thread.
   */
  CompletableFuture<Integer> exit();

  /**
   * Sends {@code signal} to the process, or, when {@code tree} is true (the stop policy), to the process and its
   * descendants: its process group when it leads one, otherwise the descendants found under it now and at
   * earlier such calls. After a {@code tree} signal, the process's exit kills what is left of them. Does nothing
   * once the process has been reaped.
   *
   * @throws UnsupportedOperationException if the backend cannot send this signal
   */
  void signal(int signal, boolean tree);

  /**
   * Hands the backend the engine's way to stop this process with its stop policy (the kill signal, then SIGKILL
   * after the grace): for a backend that must end its processes itself, as a remote host that is being closed
   * does. The engine calls it once, when it has wired the process; running {@code stop} does not block. Ignored by
   * default.
   */
  default void onStopRequest(Runnable stop) {
    // A local process needs nobody but its subscriber to stop it.
  }

  /**
   * Returns the error a checked run of this process fails with when it ended with the non-zero
   * {@code returnCode} because the backend stopped it itself, as a remote host that was closed does: one that says
   * so, after which {@code message} (the error's message otherwise) may follow. Returns null by default, and when
   * the backend did not stop it: only the process's subscriber or owner stops a local process.
   */
  default RuntimeException stoppedError(int returnCode, byte[] stdout, byte[] stderr, String message) {
    return null;
  }

  /** Tells whether the process leads a process group of its own (its pid is the group's id). */
  default boolean leadsProcessGroup() {
    return false;
  }

  /**
   * Returns the CPU time the process used, once it has been reaped: read by the backend when it reaped the child,
   * or null when the backend cannot tell (the default).
   */
  default ChildUsage usage() {
    return null;
  }

  /**
   * Sets the window size of the process's terminal, so that it receives SIGWINCH. Does nothing once the process
   * has exited.
   *
   * @throws IllegalStateException if the process has no terminal (the default)
   */
  default void resize(int columns, int rows) {
    throw new IllegalStateException("process " + pid() + " has no terminal to resize");
  }

  /** Closes this process's ends of every pipe. Idempotent; never blocks. */
  void release();
}

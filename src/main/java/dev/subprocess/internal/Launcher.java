package dev.subprocess.internal;

import java.util.concurrent.Executor;

/**
 * Starts processes: the one interface between the backend-neutral engine and a backend.
 */
public interface Launcher {

  /** Returns the backend's name, as {@code -Ddev.subprocess.launcher} spells it. */
  String name();

  /** Returns what this backend supports, for the public description of the backend; nothing by default. */
  default java.util.Set<Feature> features() {
    return java.util.Set.of();
  }

  /**
   * Checks that this backend can honour every option of {@code spec}, before anything is started.
   *
   * @throws UnsupportedOperationException naming the option and the backend, if it cannot
   */
  void requireSupport(RunSpec spec);

  /**
   * Checks, just before a start, what the system would otherwise report vaguely (a missing working directory, a
   * missing stdin file), for this machine, and finds the program on the child's PATH ({@link ProgramLookup}), once
   * for every local launcher; a remote launcher checks its own way and leaves the lookup to the remote shell.
   *
   * @return {@code spec} with its {@link LaunchSpec#programPath()} found
   * @throws StartFailure naming what is missing
   */
  default LaunchSpec preflight(LaunchSpec spec) {
    Preflight.check(spec);
    return ProgramLookup.locate(spec);
  }

  /**
   * Starts a process. Runs on {@link #startExecutor()}; may block there.
   *
   * @throws StartFailure if the operating system refused to start it
   */
  ChildProcess start(LaunchSpec spec);

  /**
   * Starts the stages of a pipeline, the stdout of each joined to the stdin of the next by an OS pipe, so that
   * the bytes between stages never pass through this process. Runs on {@link #startExecutor()}. If a stage
   * cannot start, the stages already started are killed before the exception is thrown.
   *
   * @throws StartFailure if the operating system refused to start a stage
   */
  java.util.List<ChildProcess> startPipeline(java.util.List<LaunchSpec> stages);

  /** Returns where {@link #start} runs: a thread that may block for the backend's start. */
  Executor startExecutor();
}

package dev.subprocess.internal;

/** Names what a backend may or may not do, for the public {@code Backend} description. */
public enum Feature {
  /** Runs a child under a pseudo-terminal. */
  TERMINAL,
  /** Starts a child in a new session. */
  NEW_SESSION,
  /** Keeps descriptors of this process open in the child. */
  PASS_FDS,
  /** Gives argv[0] apart from the program executed. */
  EXECUTABLE,
  /** Sends any signal, not only SIGTERM and SIGKILL. */
  ANY_SIGNAL,
  /** Sizes the pipes to and from a child. */
  PIPE_SIZE,
  /** Puts a child in a process group of its own, which the stop policy signals as a whole. */
  PROCESS_GROUP,
  /** Measures the CPU time and memory of a child when it is reaped. */
  RESOURCE_USAGE
}

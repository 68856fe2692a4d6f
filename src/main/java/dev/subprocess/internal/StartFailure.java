package dev.subprocess.internal;

import java.util.List;

/**
 * Reports that a backend could not start a process: the engine's own error value, which the engine turns into the
 * public {@code ProcessStartException}, so that backends need not know the public types.
 */
public final class StartFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The argv of the process that could not start. */
  private final transient List<String> argv;
  /** The file that was to be executed, as configured. */
  private final String program;
  /** The directory the process was to run in. */
  private final String workingDirectory;
  /** The symbolic error name, or null. */
  private final String errorName;

  /**
   * Creates the failure to start {@code spec}.
   *
   * @param spec what was to start
   * @param reason the operating system's reason in words, such as {@code No such file or directory}
   * @param errorName the symbolic error, such as {@code ENOENT}, or null when unknown
   * @param cause the underlying failure, or null
   */
  public StartFailure(LaunchSpec spec, String reason, String errorName, Throwable cause) {
    super(reason, cause);
    this.argv = spec.argv();
    this.program = spec.program();
    this.workingDirectory = spec.workingDirectory().toString();
    this.errorName = errorName;
  }

  /** Returns the argv of the process that could not start. */
  public List<String> argv() {
    return argv;
  }

  /** Returns the program that was to be executed: the executable when one is set, otherwise argv[0]. */
  public String program() {
    return program;
  }

  /** Returns the directory the process was to run in, as error messages name it. */
  public String workingDirectory() {
    return workingDirectory;
  }

  /** Returns the operating system's reason in words. */
  public String reason() {
    return getMessage();
  }

  /** Returns the symbolic error name, such as {@code ENOENT}, or null when unknown. */
  public String errorName() {
    return errorName;
  }
}

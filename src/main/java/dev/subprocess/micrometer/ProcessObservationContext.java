package dev.subprocess.micrometer;

import io.micrometer.observation.Observation;
import java.util.List;

/**
 * Holds what is known of one observed process: its argv from the start, its pid once started, and its return
 * code, outcome and bytes moved once it has ended. A {@link ProcessObservationConvention} turns it into key
 * values; an {@code ObservationHandler} may read it directly, for example to record the bytes as distribution
 * summaries.
 *
 * <pre>{@code
 * registry.observationConfig().observationHandler(new ObservationHandler<ProcessObservationContext>() {
 *   @Override
 *   public boolean supportsContext(Observation.Context context) {
 *     return context instanceof ProcessObservationContext;
 *   }
 *
 *   @Override
 *   public void onStop(ProcessObservationContext process) {
 *     bytesRead.record(process.getStdoutBytes());
 *   }
 * });
 * }</pre>
 */
public class ProcessObservationContext extends Observation.Context {
  private final List<String> args;
  private volatile long pid = -1;
  private volatile Integer returnCode;
  private volatile Outcome outcome;
  private volatile long stdoutBytes;
  private volatile long stderrBytes;
  private volatile long stdinBytes;

  /**
   * Creates the context of a process about to start with {@code args}.
   *
   * @param args the argv of the process
   */
  public ProcessObservationContext(List<String> args) {
    this.args = List.copyOf(args);
  }

  /**
   * Returns the argv the process was started with. It may hold secrets: the default convention does not report it.
   *
   * @return the argv
   */
  public List<String> getArgs() {
    return args;
  }

  /**
   * Returns the program's file name without its directory: {@code git} for {@code /usr/bin/git}, {@code sh} for a
   * {@code Command.shell(...)} script. Low-cardinality as long as the application runs a bounded set of programs.
   *
   * @return the program's name
   */
  public String getCommand() {
    String program = args.isEmpty() ? "" : args.get(0);
    return program.substring(program.lastIndexOf('/') + 1);
  }

  /**
   * Returns the process id, or -1 before the process started or when it could not start.
   *
   * @return the pid, or -1
   */
  public long getPid() {
    return pid;
  }

  /**
   * Returns the return code ({@code -N} for death by signal {@code N}), or null until the process has ended and
   * when it could not start.
   *
   * @return the return code, or null
   */
  public Integer getReturnCode() {
    return returnCode;
  }

  /**
   * Returns how the process ended, or null while it runs.
   *
   * @return the outcome, or null
   */
  public Outcome getOutcome() {
    return outcome;
  }

  /**
   * Returns the bytes read from the process's stdout (zero when it was not piped).
   *
   * @return the byte count
   */
  public long getStdoutBytes() {
    return stdoutBytes;
  }

  /**
   * Returns the bytes read from the process's stderr (zero when it was not piped).
   *
   * @return the byte count
   */
  public long getStderrBytes() {
    return stderrBytes;
  }

  /**
   * Returns the bytes written to the process's stdin (zero when it was not piped).
   *
   * @return the byte count
   */
  public long getStdinBytes() {
    return stdinBytes;
  }

  void setPid(long pid) {
    this.pid = pid;
  }

  void setOutcome(Outcome outcome) {
    this.outcome = outcome;
  }

  void setEnd(int returnCode, Outcome outcome, long stdoutBytes, long stderrBytes, long stdinBytes) {
    this.returnCode = returnCode;
    this.stdoutBytes = stdoutBytes;
    this.stderrBytes = stderrBytes;
    this.stdinBytes = stdinBytes;
    this.outcome = outcome;
  }

  /**
   * Says how an observed process ended, as its caller saw it: the {@code outcome} key value.
   *
   * <pre>{@code
   * if (process.getOutcome() == ProcessObservationContext.Outcome.TIMED_OUT) { ... }
   * }</pre>
   */
  public enum Outcome {
    /** It exited with status 0. */
    OK,
    /**
     * It could not start, exited with a non-zero status, died of a signal other than the stop policy's (including
     * one sent with {@code RunningProcess.terminate()} or {@code kill()}), or its input failed.
     */
    FAILED,
    /** The library stopped it with its stop policy because its {@code timeout} passed. */
    TIMED_OUT,
    /**
     * The library stopped it with its stop policy because its subscriber cancelled, or failed downstream, while it
     * ran.
     */
    CANCELLED
  }
}

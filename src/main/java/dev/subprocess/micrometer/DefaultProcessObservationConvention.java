package dev.subprocess.micrometer;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * Names each process's observation {@value #NAME} and its span {@code subprocess <command>}, with the key values
 * that {@link SubprocessObservations} lists. Extend it to add or drop some.
 *
 * <pre>{@code
 * SubprocessObservations.enable(registry, new DefaultProcessObservationConvention() {
 *   @Override
 *   public KeyValues getHighCardinalityKeyValues(ProcessObservationContext context) {
 *     return super.getHighCardinalityKeyValues(context).and("argv", String.join(" ", context.getArgs()));
 *   }
 * });
 * }</pre>
 */
public class DefaultProcessObservationConvention implements ProcessObservationConvention {
  /** The name of the observation, hence of its timer. */
  public static final String NAME = "subprocess";
  /** The key of the program's name, such as {@code git}. */
  public static final String COMMAND = "command";
  /** The key of the outcome: {@code OK}, {@code FAILED}, {@code TIMED_OUT} or {@code CANCELLED}. */
  public static final String OUTCOME = "outcome";
  /** The key of the return code ({@code -N} for death by signal {@code N}; {@code none} when it did not start). */
  public static final String EXIT_CODE = "exit.code";
  /** The key of the process id. */
  public static final String PID = "pid";
  /** The key of the bytes read from stdout. */
  public static final String STDOUT_BYTES = "stdout.bytes";
  /** The key of the bytes read from stderr. */
  public static final String STDERR_BYTES = "stderr.bytes";
  /** The key of the bytes written to stdin. */
  public static final String STDIN_BYTES = "stdin.bytes";

  /** Creates the default convention. */
  public DefaultProcessObservationConvention() {}

  @Override
  public String getName() {
    return NAME;
  }

  @Override
  public String getContextualName(ProcessObservationContext context) {
    return "subprocess " + context.getCommand();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(ProcessObservationContext context) {
    ProcessObservationContext.Outcome outcome = context.getOutcome();
    Integer code = context.getReturnCode();
    return KeyValues.of(
        KeyValue.of(COMMAND, context.getCommand()),
        KeyValue.of(OUTCOME, outcome == null ? "UNKNOWN" : outcome.name()),
        KeyValue.of(EXIT_CODE, code == null ? "none" : Integer.toString(code)));
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(ProcessObservationContext context) {
    return KeyValues.of(
        KeyValue.of(PID, Long.toString(context.getPid())),
        KeyValue.of(STDOUT_BYTES, Long.toString(context.getStdoutBytes())),
        KeyValue.of(STDERR_BYTES, Long.toString(context.getStderrBytes())),
        KeyValue.of(STDIN_BYTES, Long.toString(context.getStdinBytes())));
  }
}

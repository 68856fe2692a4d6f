package dev.subprocess;

import dev.subprocess.internal.Engine;
import dev.subprocess.internal.RunSpec;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Describes commands joined stdout to stdin by OS pipes, the shell's {@code a | b | c}: Python's "replacing shell
 * pipeline" recipe, done by the library. The bytes between stages never pass through this process.
 *
 * <p>The first stage's stdin (and input) and the last stage's stdout are the pipeline's; every stage keeps its own
 * stderr, environment and working directory. Every stage's return code is reported, and a failure means what
 * {@code set -o pipefail} means: the rightmost stage that returned non-zero. If a stage cannot start, the stages
 * started before it are stopped. Immutable; each subscription starts new processes.
 *
 * <pre>{@code
 * Flux<String> top = Command.of("sort", "access.log")
 *     .pipeTo(Command.of("uniq", "-c"))
 *     .pipeTo(Command.of("sort", "-rn"))
 *     .pipeTo(Command.of("head", "-10"))
 *     .lines();                                // fails as set -o pipefail would
 * }</pre>
 */
public final class Pipeline {
  private final List<Command> stages;
  private final Duration timeout;
  private final boolean check;

  private Pipeline(List<Command> stages, Duration timeout, boolean check) {
    this.stages = stages;
    this.timeout = timeout;
    this.check = check;
  }

  /**
   * Returns the pipeline {@code stages[0] | stages[1] | ...}.
   *
   * @param stages the commands to join, from the first writer to the last reader
   * @return a pipeline without timeout or check
   * @throws IllegalArgumentException if there is no stage, a stage other than the first has stdin redirected or
   *     input, or a stage other than the last has stdout redirected
   */
  public static Pipeline of(Command... stages) {
    Objects.requireNonNull(stages, "stages");
    return new Pipeline(validate(java.util.Arrays.asList(stages)), null, false);
  }

  /**
   * Returns this pipeline with {@code next} appended: {@code ... | next}.
   *
   * @param next the command that reads the current last stage's stdout
   * @return a copy of this pipeline with one more stage
   */
  public Pipeline pipeTo(Command next) {
    Objects.requireNonNull(next, "next");
    List<Command> more = new ArrayList<>(stages);
    more.add(next);
    return new Pipeline(validate(more), timeout, check);
  }

  /**
   * Returns a copy whose stages are all stopped, with their stop policy, when the pipeline runs longer than
   * {@code limit}; the run then fails with {@link TimeoutExpiredException}.
   *
   * @param limit how long the whole pipeline may run; positive
   * @return a copy of this pipeline with this time limit
   */
  public Pipeline timeout(Duration limit) {
    Validation.positive(limit, "timeout");
    return new Pipeline(stages, limit, check);
  }

  /**
   * Returns a copy whose {@link #run()} fails with {@link CalledProcessException} when a stage fails.
   *
   * @return a checking copy of this pipeline
   */
  public Pipeline check() {
    return new Pipeline(stages, timeout, true);
  }

  /**
   * Returns the stages, in order.
   *
   * @return the commands of this pipeline, as an unmodifiable list
   */
  public List<Command> stages() {
    return stages;
  }

  /**
   * Returns a {@code Mono} that runs the pipeline to completion, capturing the streams redirected to
   * {@link Redirect#PIPE} (the last stage's stdout, any stage's stderr), and emits every stage's result.
   *
   * @return a cold {@code Mono} of the finished pipeline
   */
  public Mono<CompletedPipeline> run() {
    return Engine.runPipeline(specs(Command.Use.RUN), check);
  }

  /**
   * Returns a {@code Flux} of the last stage's stdout as it arrives, with {@link Command#output()}'s backpressure;
   * after the data it fails with {@link CalledProcessException} for the rightmost failing stage. The chunks arrive on
   * the threads {@link Command#output()} names, Reactor non-blocking threads: {@code publishOn} for blocking work.
   *
   * @return a cold {@code Flux} of the last stage's stdout chunks
   */
  public Flux<ByteBuffer> output() {
    return Engine.pipelineOutput(specs(Command.Use.OUTPUT));
  }

  /**
   * Returns a {@code Flux} of the lines of the last stage's stdout, as {@link Command#lines()} splits them. The
   * lines arrive on the threads {@link Command#output()} names: {@code publishOn} for blocking work.
   *
   * @return a cold {@code Flux} of the last stage's stdout lines, without their terminators
   */
  public Flux<String> lines() {
    return Engine.pipelineLines(specs(Command.Use.OUTPUT));
  }

  private List<RunSpec> specs(Command.Use use) {
    List<RunSpec> specs = new ArrayList<>(stages.size());
    for (int i = 0; i < stages.size(); i++) {
      Command stage = stages.get(i);
      if (i > 0) {
        stage = stage.stdin(Redirect.PIPE);
      }
      if (i < stages.size() - 1) {
        stage = stage.stdout(Redirect.PIPE);
      }
      if (timeout != null) {
        stage = stage.timeout(timeout);
      }
      RunSpec spec = stage.runSpec(i == stages.size() - 1 ? use : Command.Use.RUN);
      if (use == Command.Use.OUTPUT && !stage.hasStderr()) {
        spec = spec.withLaunch(spec.launch().withStreams(spec.launch().stdin(), spec.launch().stdout(),
            Redirect.PIPE));
      }
      specs.add(spec);
    }
    return specs;
  }

  private static List<Command> validate(List<Command> stages) {
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("a pipeline needs at least one command");
    }
    for (int i = 0; i < stages.size(); i++) {
      int number = i + 1;
      Command stage = Objects.requireNonNull(stages.get(i), () -> "stage " + number + " of the pipeline is null");
      if (i > 0 && stage.hasStdin()) {
        throw new IllegalArgumentException("stage " + (i + 1) + " " + stage.args() + " reads the previous"
            + " stage's stdout: it cannot have its own stdin redirect or input");
      }
      if (i < stages.size() - 1 && stage.hasStdout()) {
        throw new IllegalArgumentException("stage " + (i + 1) + " " + stage.args() + " writes to the next"
            + " stage's stdin: it cannot have its own stdout redirect");
      }
    }
    return List.copyOf(stages);
  }

  /** Returns the stages as the shell would write them. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Pipeline[");
    for (int i = 0; i < stages.size(); i++) {
      s.append(i == 0 ? "" : " | ").append(stages.get(i).args());
    }
    return s.append(']').toString();
  }
}

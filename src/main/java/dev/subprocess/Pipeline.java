package dev.subprocess;

import dev.subprocess.internal.Engine;
import dev.subprocess.internal.RunSpec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Describes commands joined stdout to stdin by OS pipes, the shell's {@code a | b | c}: Python 3.15's
 * {@code subprocess.run_pipeline}, and its "replacing shell pipeline" recipe, done by the library. The bytes between
 * stages never pass through this process.
 *
 * <p>The first stage's stdin (and input) and the last stage's stdout are the pipeline's. Every stage's return code
 * is reported, and a failure means what {@code set -o pipefail} means, except that an earlier stage killed by
 * SIGPIPE, because a later one stopped reading (as {@code head} does), is no failure: a checked run and
 * {@link #output()} fail with {@link PipelineException}, which names every failed stage. If a stage cannot start,
 * the stages started before it are stopped. Immutable; each subscription starts new processes.
 *
 * <p>Pipeline-wide settings ({@link #captureOutput()}, {@link #timeout(Duration)}, {@link #env(Map)},
 * {@link #env(String, String)}, {@link #cwd(Path)}, {@link #check()}) apply to every stage, and a stage's own
 * setting wins over the pipeline's: the pipeline's settings are made first, then the stage's own on top, as if the
 * stage had been configured after them. So a stage's {@code cwd}, {@code timeout}, stdout or stderr redirect
 * replaces the pipeline's, its {@code env(name, value)} variables are set on top of the pipeline's environment,
 * and its {@code env(Map)} replaces the pipeline's environment whole. The pipeline's {@link #input(byte[]) input}
 * and {@link #stdin(Redirect) stdin} feed the first stage, which then must have neither of its own.
 *
 * <pre>{@code
 * Flux<String> top = Command.of("sort", "access.log")
 *     .pipeTo(Command.of("uniq", "-c"))
 *     .pipeTo(Command.of("sort", "-rn"))
 *     .pipeTo(Command.of("head", "-10"))
 *     .cwd(Path.of("/var/log/nginx"))
 *     .lines();                                // fails as set -o pipefail would, with PipelineException
 * }</pre>
 */
public final class Pipeline {
  private final List<Command> stages;
  private final Options options;

  /** The pipeline-wide settings, copied before each change. */
  private static final class Options implements Cloneable {
    Duration timeout;
    boolean check;
    boolean captureOutput;
    Path cwd;
    Map<String, String> environment;
    Map<String, String> environmentAdditions = Map.of();
    Object input;
    Redirect stdin;

    Options copy() {
      try {
        return (Options) clone();
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private Pipeline(List<Command> stages, Options options) {
    this.stages = stages;
    this.options = options;
  }

  /**
   * Returns the pipeline {@code stages[0] | stages[1] | ...}.
   *
   * @param stages the commands to join, from the first writer to the last reader; at least two, as Python's
   *     {@code run_pipeline} requires: a single command runs with {@link Command#run()}
   * @return a pipeline without pipeline-wide settings
   * @throws IllegalArgumentException if there are fewer than two stages, a stage other than the first has stdin
   *     redirected or input, a stage other than the last has stdout redirected, or the first stage has its stdin
   *     redirected to {@link Redirect#PIPE} without input (a pipeline has no process handle to write it with)
   */
  public static Pipeline of(Command... stages) {
    Objects.requireNonNull(stages, "stages");
    return new Pipeline(validate(Arrays.asList(stages)), new Options());
  }

  /**
   * Returns this pipeline with {@code next} appended: {@code ... | next}. The pipeline-wide settings stay, and
   * apply to {@code next} too.
   *
   * @param next the command that reads the current last stage's stdout
   * @return a copy of this pipeline with one more stage
   */
  public Pipeline pipeTo(Command next) {
    Objects.requireNonNull(next, "next");
    List<Command> more = new ArrayList<>(stages);
    more.add(next);
    return new Pipeline(validate(more), options);
  }

  /**
   * Returns a copy whose stages are all stopped, with their stop policy, when the pipeline runs longer than
   * {@code limit}; the run then fails with {@link TimeoutExpiredException}. A stage with a timeout of its own keeps
   * it, and a stage that times out stops the whole pipeline. A limit of zero or less has passed as soon as the
   * stages start, as {@link Command#timeout(Duration)}'s does.
   *
   * @param limit how long the whole pipeline may run
   * @return a copy of this pipeline with this time limit
   * @throws IllegalArgumentException if {@code limit} is beyond what a timer holds, either way (about 292 years)
   */
  public Pipeline timeout(Duration limit) {
    Validation.timeout(limit);
    return with(o -> o.timeout = limit);
  }

  /**
   * Returns a copy whose {@link #run()} fails with {@link PipelineException} when a stage fails (Python's
   * {@code check=True}). Without it, {@code run()} fails only when a stage that was itself configured with
   * {@link Command#check()} fails, and the exception still names every failed stage.
   *
   * @return a checking copy of this pipeline
   */
  public Pipeline check() {
    return with(o -> o.check = true);
  }

  /**
   * Returns a copy whose {@link #run()} captures the last stage's stdout and every stage's stderr, each stage's
   * apart (Python's {@code capture_output=True}, where the stages share one stderr pipe). A stage that redirects its
   * own stdout or stderr keeps its redirect.
   *
   * @return a copy of this pipeline that captures its output
   */
  public Pipeline captureOutput() {
    return with(o -> o.captureOutput = true);
  }

  /**
   * Returns a copy whose stages start in {@code dir}, except the stages with a {@link Command#cwd(Path)} of their own.
   *
   * @param dir the directory to start the stages in; it must exist by then
   * @return a copy of this pipeline that runs in {@code dir}
   */
  public Pipeline cwd(Path dir) {
    Objects.requireNonNull(dir, "dir");
    Validation.noNul(dir.toString(), "working directory");
    return with(o -> o.cwd = dir);
  }

  /**
   * Returns a copy whose stages get exactly {@code env} as their environment instead of inheriting this process's
   * (Python's {@code env=}). A stage's own {@link Command#env(String, String)} variables are set on top of it; a
   * stage's own {@link Command#env(Map)} replaces it. Variables added before with {@link #env(String, String)} are
   * dropped.
   *
   * @param env the complete environment of every stage, variable names to values; copied
   * @return a copy of this pipeline with {@code env} as its stages' environment
   * @throws IllegalArgumentException if a name is empty or contains {@code =} or NUL, or a value contains NUL
   */
  public Pipeline env(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    Map<String, String> copy = new LinkedHashMap<>();
    env.forEach((name, value) -> {
      Validation.envVariable(name, value);
      copy.put(name, value);
    });
    return with(o -> {
      o.environment = Collections.unmodifiableMap(copy);
      o.environmentAdditions = Map.of();
    });
  }

  /**
   * Returns a copy that sets variable {@code name} to {@code value} for every stage, on top of the pipeline's
   * environment so far; a stage that sets the same variable itself keeps its own value.
   *
   * @param name the name of the variable, without {@code =}
   * @param value the value of the variable, possibly empty
   * @return a copy of this pipeline with the variable added or replaced
   * @throws IllegalArgumentException if {@code name} is empty or contains {@code =} or NUL, or {@code value}
   *     contains NUL
   */
  public Pipeline env(String name, String value) {
    Validation.envVariable(name, value);
    Map<String, String> additions = new LinkedHashMap<>(options.environmentAdditions);
    additions.put(name, value);
    return with(o -> o.environmentAdditions = Collections.unmodifiableMap(additions));
  }

  /**
   * Returns a copy whose first stage reads its stdin from {@code r}: {@link Redirect#DEVNULL},
   * {@link Redirect#INHERIT} or {@link Redirect#from(Path)}.
   *
   * @param r the source of the first stage's stdin
   * @return a copy of this pipeline with its stdin redirected
   * @throws IllegalArgumentException if {@code r} is an output redirect or {@link Redirect#PIPE} (a pipeline has no
   *     process handle to write it with: give {@link #input(byte[]) input} instead), if the pipeline has input, or
   *     if the first stage has a stdin redirect or input of its own
   */
  public Pipeline stdin(Redirect r) {
    Objects.requireNonNull(r, "redirect");
    if (!r.isInput()) {
      throw new IllegalArgumentException("the stdin of " + this + " cannot be redirected to " + r
          + ": it is an input");
    }
    if (r == Redirect.PIPE) {
      throw new IllegalArgumentException("the stdin of " + this + " cannot be PIPE: a pipeline has no process"
          + " handle to write it with; give the data with Pipeline.input(...) or redirect it from a file");
    }
    if (options.input != null) {
      throw new IllegalArgumentException("the input of " + this + " feeds the first stage's stdin through a pipe,"
          + " so Pipeline.stdin(" + r + ") cannot redirect it as well: use one of them");
    }
    requireFirstStageWithoutStdin("Pipeline.stdin(" + r + ")");
    return with(o -> o.stdin = r);
  }

  /**
   * Returns a copy that writes {@code data} to the first stage's stdin, then closes it (Python's {@code input=}).
   * The array is not copied: do not change it while the pipeline may run.
   *
   * @param data the bytes to feed to every run of the pipeline
   * @return a copy of this pipeline with this input, replacing any earlier input of the pipeline
   * @throws IllegalArgumentException if the pipeline's stdin is redirected, or the first stage has a stdin redirect
   *     or input of its own
   */
  public Pipeline input(byte[] data) {
    Objects.requireNonNull(data, "data");
    return withInput(data);
  }

  /**
   * Returns a copy that writes {@code text}, encoded with the first stage's {@linkplain Command#encoding(
   * java.nio.charset.Charset) encoding}, to the first stage's stdin, then closes it.
   *
   * @param text the text to feed to every run of the pipeline
   * @return a copy of this pipeline with this input, replacing any earlier input of the pipeline
   * @throws IllegalArgumentException if the pipeline's stdin is redirected, or the first stage has a stdin redirect
   *     or input of its own
   */
  public Pipeline input(String text) {
    Objects.requireNonNull(text, "text");
    return withInput(text);
  }

  /**
   * Returns a copy that streams {@code data} into the first stage's stdin with backpressure, then closes it, as
   * {@link Command#input(Publisher)} does.
   *
   * @param data the buffers to stream to stdin, subscribed to anew for each run
   * @return a copy of this pipeline with this input, replacing any earlier input of the pipeline
   * @throws IllegalArgumentException if the pipeline's stdin is redirected, or the first stage has a stdin redirect
   *     or input of its own
   */
  public Pipeline input(Publisher<ByteBuffer> data) {
    Objects.requireNonNull(data, "data");
    return withInput(data);
  }

  private Pipeline withInput(Object data) {
    if (options.stdin != null) {
      throw new IllegalArgumentException("Pipeline.input(...) feeds the first stage's stdin through a pipe, so the"
          + " stdin of " + this + " cannot stay redirected to " + options.stdin + " as well: use one of them");
    }
    requireFirstStageWithoutStdin("Pipeline.input(...)");
    return with(o -> o.input = data);
  }

  private void requireFirstStageWithoutStdin(String call) {
    Command first = stages.get(0);
    if (first.hasStdin()) {
      throw new IllegalArgumentException(call + " feeds the first stage's stdin, but stage 1 " + first
          + " has its own stdin redirect or input: set it on the pipeline or on the stage, not both");
    }
  }

  /**
   * Returns the stages, in order, as they were given (without the pipeline-wide settings).
   *
   * @return the commands of this pipeline, as an unmodifiable list
   */
  public List<Command> stages() {
    return stages;
  }

  /**
   * Returns a {@code Mono} that runs the pipeline to completion, capturing the streams redirected to
   * {@link Redirect#PIPE} (the last stage's stdout, any stage's stderr; all of them with {@link #captureOutput()}),
   * and emits every stage's result. When checked, a failed stage fails it with {@link PipelineException}.
   *
   * @return a cold {@code Mono} of the finished pipeline
   */
  public Mono<CompletedPipeline> run() {
    return Engine.runPipeline(specs(Command.Use.RUN));
  }

  /**
   * Returns a {@code Flux} of the last stage's stdout as it arrives, with {@link Command#output()}'s backpressure;
   * after the data it fails with {@link PipelineException} when a stage failed, naming every failed stage with the
   * tail of its stderr. The chunks arrive on the threads {@link Command#output()} names, Reactor non-blocking
   * threads: {@code publishOn} for blocking work.
   *
   * @return a cold {@code Flux} of the last stage's stdout chunks
   */
  public Flux<ByteBuffer> output() {
    return Engine.pipelineOutput(specs(Command.Use.OUTPUT));
  }

  /**
   * Streams the last stage's stdout as {@link #output()} does, each chunk lent to {@code read} for the call only,
   * as {@link Command#output(Function)} does, and emits what {@code read} returns.
   *
   * <pre>{@code
   * Mono<Long> bytes = Pipeline.of(Command.of("cat", "big.log"), Command.of("gzip", "-c"))
   *     .output(chunk -> (long) chunk.remaining())
   *     .reduce(0L, Long::sum);
   * }</pre>
   *
   * @param read what to make of each chunk, lent for the call only: copy what you keep
   * @param <T> what {@code read} makes of a chunk
   * @return a cold {@code Flux} of {@code read}'s results
   */
  public <T> Flux<T> output(Function<? super ByteBuffer, ? extends T> read) {
    Objects.requireNonNull(read, "read");
    return Engine.pipelineOutput(specs(Command.Use.OUTPUT), read);
  }

  /**
   * Returns a {@code Flux} of the lines of the last stage's stdout, as {@link Command#lines()} splits them; it fails
   * as {@link #output()} does. The lines arrive on the threads {@link Command#output()} names: {@code publishOn}
   * for blocking work.
   *
   * @return a cold {@code Flux} of the last stage's stdout lines, without their terminators
   */
  public Flux<String> lines() {
    return Engine.pipelineLines(specs(Command.Use.OUTPUT));
  }

  private Pipeline with(Consumer<Options> change) {
    Options changed = options.copy();
    change.accept(changed);
    return new Pipeline(stages, changed);
  }

  private List<RunSpec> specs(Command.Use use) {
    List<RunSpec> specs = new ArrayList<>(stages.size());
    for (int i = 0; i < stages.size(); i++) {
      Command stage = withOptions(stages.get(i), i == 0, i == stages.size() - 1);
      if (i > 0) {
        stage = stage.stdin(Redirect.PIPE);
      }
      if (i < stages.size() - 1) {
        stage = stage.stdout(Redirect.PIPE);
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

  /** Returns {@code stage} with the pipeline-wide settings it does not make itself. */
  private Command withOptions(Command stage, boolean first, boolean last) {
    RunSpec own = stage.runSpec(Command.Use.RUN);
    Command c = stage;
    if (options.cwd != null && own.launch().cwd() == null) {
      c = c.cwd(options.cwd);
    }
    if (own.launch().environment() == null) {
      Map<String, String> stageAdditions = own.launch().environmentAdditions();
      if (options.environment != null) {
        c = c.env(options.environment);
      }
      for (Map.Entry<String, String> e : options.environmentAdditions.entrySet()) {
        if (!stageAdditions.containsKey(e.getKey())) {
          c = c.env(e.getKey(), e.getValue());
        }
      }
      if (options.environment != null) {
        for (Map.Entry<String, String> e : stageAdditions.entrySet()) {
          c = c.env(e.getKey(), e.getValue());
        }
      }
    }
    if (options.timeout != null && own.timeout() == null) {
      c = c.timeout(options.timeout);
    }
    if (options.check) {
      c = c.check();
    }
    if (options.captureOutput) {
      if (last && !stage.hasStdout()) {
        c = c.stdout(Redirect.PIPE);
      }
      if (!stage.hasStderr()) {
        c = c.stderr(Redirect.PIPE);
      }
    }
    if (first && options.stdin != null) {
      c = c.stdin(options.stdin);
    }
    if (first && options.input instanceof byte[] bytes) {
      c = c.input(bytes);
    } else if (first && options.input instanceof String text) {
      c = c.input(text);
    } else if (first && options.input != null) {
      @SuppressWarnings("unchecked")
      Publisher<ByteBuffer> publisher = (Publisher<ByteBuffer>) options.input;
      c = c.input(publisher);
    }
    return c;
  }

  private static List<Command> validate(List<Command> stages) {
    for (int i = 0; i < stages.size(); i++) {
      int number = i + 1;
      Objects.requireNonNull(stages.get(i), () -> "stage " + number + " of the pipeline is null");
    }
    if (stages.size() < 2) {
      throw new IllegalArgumentException("a pipeline needs at least two commands, as the shell's a | b and"
          + " Python's run_pipeline do; got " + (stages.isEmpty() ? "none" : "only " + stages.get(0))
          + ": run a single command with Command.run(), output() or lines()");
    }
    for (int i = 0; i < stages.size(); i++) {
      Command stage = stages.get(i);
      if (i > 0 && stage.hasStdin()) {
        throw new IllegalArgumentException("stage " + (i + 1) + " " + stage.args() + " reads the previous"
            + " stage's stdout: it cannot have its own stdin redirect or input");
      }
      if (i < stages.size() - 1 && stage.hasStdout()) {
        throw new IllegalArgumentException("stage " + (i + 1) + " " + stage.args() + " writes to the next"
            + " stage's stdin: it cannot have its own stdout redirect");
      }
    }
    Command first = stages.get(0);
    if (first.hasStdin()) {
      RunSpec spec = first.runSpec(Command.Use.RUN);
      if (spec.launch().stdin() == Redirect.PIPE && spec.input() == null && spec.launch().terminal() == null) {
        throw new IllegalArgumentException("stage 1 " + first + " of " + toString(stages) + " has"
            + " stdin(Redirect.PIPE) without input, but a pipeline has no process handle to write it with: give"
            + " the data with input(...) on the stage or on the pipeline, or redirect stdin from DEVNULL or a file");
      }
    }
    return List.copyOf(stages);
  }

  /** Returns the stages as the shell would write them. */
  @Override
  public String toString() {
    return toString(stages);
  }

  private static String toString(List<Command> stages) {
    StringBuilder s = new StringBuilder("Pipeline[");
    for (int i = 0; i < stages.size(); i++) {
      s.append(i == 0 ? "" : " | ").append(stages.get(i).args());
    }
    return s.append(']').toString();
  }
}

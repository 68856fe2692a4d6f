package dev.subprocess.internal;

import dev.subprocess.CompletedPipeline;
import dev.subprocess.CompletedProcess;
import dev.subprocess.OutputLimitException;
import dev.subprocess.PipelineException;
import dev.subprocess.RunningProcess;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs commands and pipelines on the selected backend: the one entry point from the public API into the engine.
 * Every method returns a lazy publisher that starts new processes on each subscription.
 */
public final class Engine {
  private Engine() {}

  /**
   * Returns the library's one cleaner, whose thread releases what a dropped process or capture still held; started
   * on first use, so that a JVM that only runs commands to completion never starts its thread.
   */
  static Cleaner cleaner() {
    return Cleaning.CLEANER;
  }

  /** Holds the cleaner, made on first use. */
  private static final class Cleaning {
    static final Cleaner CLEANER = Cleaner.create(runnable -> {
      Thread t = new Thread(runnable, "subprocess-cleaner");
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs {@code spec} to completion, capturing its piped streams; a checked run fails on a non-zero code. */
  public static Mono<CompletedProcess> run(RunSpec spec) {
    return GuardedSubscriber.guard(RunOperation.run(startAll(List.of(spec)), spec.check())
        .map(results -> results.get(0)));
  }

  /** Streams the stdout of {@code spec} with check_output semantics. */
  public static Flux<ByteBuffer> output(RunSpec spec) {
    return OutputOperation.stream(startAll(List.of(spec)), Function.identity());
  }

  /** Streams the stdout of {@code spec} with check_output semantics, each chunk lent to {@code read}. */
  public static <T> Flux<T> output(RunSpec spec, Function<? super ByteBuffer, ? extends T> read) {
    return OutputOperation.lent(startAll(List.of(spec)), read);
  }

  /** Streams the stdout of {@code spec} as lines with check_output semantics. */
  public static Flux<String> lines(RunSpec spec) {
    return OutputOperation.stream(startAll(List.of(spec)), bytes -> lines(bytes, spec));
  }

  /** Starts {@code spec} and hands it over to the caller. */
  public static Mono<RunningProcess> start(RunSpec spec) {
    return Launch.start(launcher(List.of(spec)), spec).map(execution -> {
      if (spec.input() != null) {
        execution.feedInput();
      }
      execution.own();
      StartedProcess process = new StartedProcess(execution);
      cleaner().register(process, StartedProcess.releaseUnused(execution));
      return process;
    });
  }

  /** Runs {@code spec} for as long as the publisher {@code body} returns. */
  public static <T> Flux<T> execute(RunSpec spec, Function<? super RunningProcess, ? extends Publisher<T>> body) {
    return ExecuteOperation.execute(Launch.start(launcher(List.of(spec)), spec), body);
  }

  /**
   * Runs the stages of a pipeline to completion; when a stage that failed (as {@link Pipefail#failures} says) was
   * checked, fails with a {@link PipelineException} naming every failed stage.
   */
  public static Mono<CompletedPipeline> runPipeline(List<RunSpec> stages) {
    return GuardedSubscriber.guard(RunOperation.run(startAll(stages))
        .map(CompletedPipeline::new)
        .map(done -> {
          List<PipelineException.FailedStage> failed = Pipefail.failures(stages, done.returnCodes());
          for (PipelineException.FailedStage stage : failed) {
            if (stages.get(stage.index()).check()) {
              throw new PipelineException(done, failed);
            }
          }
          return done;
        }));
  }

  /** Streams the last stage's stdout of a pipeline; a failing stage fails the stream. */
  public static Flux<ByteBuffer> pipelineOutput(List<RunSpec> stages) {
    return OutputOperation.stream(startAll(stages), Function.identity());
  }

  /** Streams the last stage's stdout of a pipeline, each chunk lent to {@code read}; a failing stage fails it. */
  public static <T> Flux<T> pipelineOutput(List<RunSpec> stages, Function<? super ByteBuffer, ? extends T> read) {
    return OutputOperation.lent(startAll(stages), read);
  }

  /** Streams the last stage's stdout of a pipeline as lines; a failing stage fails the stream. */
  public static Flux<String> pipelineLines(List<RunSpec> stages) {
    RunSpec last = stages.get(stages.size() - 1);
    return OutputOperation.stream(startAll(stages), bytes -> lines(bytes, last));
  }

  /**
   * Encodes {@code text} that a {@code Conversation} sends to {@code process}: with {@code charset} and the errors
   * policy of the process's command, strict unless the command says otherwise.
   *
   * @throws IllegalArgumentException if the policy is strict and {@code charset} cannot encode the text
   */
  public static ByteBuffer encodeSent(RunningProcess process, String text, java.nio.charset.Charset charset) {
    return StartedProcess.encodeSent(process, text, charset);
  }

  /** Returns the name of the backend in use, such as {@code jdk}. */
  public static String backendName() {
    return Backends.launcher().name();
  }

  /** Returns what the backend in use supports. */
  public static java.util.Set<Feature> backendFeatures() {
    return Backends.launcher().features();
  }

  /**
   * Returns the pid of the watchdog process that stops this JVM's children if the JVM dies, starting it if
   * needed, or -1 when children may outlive the JVM or the watchdog could not start. It lives as long as the JVM.
   */
  public static long watchdogPid() {
    Watchdog watchdog = LiveProcesses.watchdog();
    return watchdog == null ? -1 : watchdog.pid();
  }

  /**
   * Starts the stages on their host's launcher; on this JVM's backend, chosen only when subscribed to, so that the
   * platform's probe for the linux backend, begun here, runs while the caller assembles and subscribes.
   */
  private static Mono<List<Execution>> startAll(List<RunSpec> stages) {
    Launcher host = hostLauncher(stages);
    if (host != null) {
      return Launch.startAll(host, stages);
    }
    Backends.prepare();
    return Mono.defer(() -> Launch.startAll(Backends.launcher(), stages));
  }

  /** Returns the launcher of the stages' host: the JVM's backend here, the host's launcher elsewhere. */
  private static Launcher launcher(List<RunSpec> stages) {
    Launcher launcher = hostLauncher(stages);
    return launcher != null ? launcher : Backends.launcher();
  }

  /** Returns the launcher of the stages' host, or null when they run on this JVM. */
  private static Launcher hostLauncher(List<RunSpec> stages) {
    Launcher launcher = stages.get(0).launcher();
    for (RunSpec stage : stages) {
      if (stage.launcher() != launcher) {
        throw new IllegalArgumentException("the stages of a pipeline run on one host, joined there: "
            + stages.get(0).launch().argv() + " and " + stage.launch().argv() + " are bound to different hosts");
      }
    }
    return launcher;
  }

  private static Flux<String> lines(Flux<ByteBuffer> bytes, RunSpec spec) {
    return Flux.defer(() -> {
      LaunchSpec launch = spec.launch();
      LineDecoder decoder = new LineDecoder(spec.encoding(), spec.decodingErrors(), "stdout of " + launch.argv(),
          spec.maxLineLength(), max -> new OutputLimitException(launch.argv(), launch.workingDirectory(),
              "wrote a line longer than " + max + " characters to stdout, the limit set by Command.maxLineLength",
              max));
      return bytes.concatMapIterable(decoder::feed, 1)
          .concatWith(Flux.defer(() -> Flux.fromIterable(decoder.finish())));
    });
  }
}

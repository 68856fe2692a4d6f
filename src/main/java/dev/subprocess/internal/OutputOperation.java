package dev.subprocess.internal;

import dev.subprocess.CalledProcessException;
import dev.subprocess.CompletedPipeline;
import dev.subprocess.CompletedProcess;
import dev.subprocess.PipelineException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Streams the stdout of a process, or of a pipeline's last stage, as it arrives, with check_output semantics:
 * after the data, a process that failed fails the stream with {@link CalledProcessException} carrying the tail of
 * its stderr, and a pipeline with a stage that failed (as {@link Pipefail} says) with {@link PipelineException}
 * carrying every stage's return code and stderr tail. stderr streams are drained into
 * bounded tails so that they never block a child; input is fed while output is read. A timeout fails the stream
 * as soon as the stopped processes are reaped, whatever the subscriber's demand.
 */
final class OutputOperation {
  private OutputOperation() {}

  /**
   * Returns the stdout of the processes {@code start} emits, the data shaped by {@code shape} (bytes to lines,
   * for example; it runs before the exit is checked, so a last partial line comes out before the error).
   */
  static <T> Flux<T> stream(Mono<List<Execution>> start, Function<Flux<ByteBuffer>, Flux<T>> shape) {
    return stream(start, PipePublisher::flux, shape);
  }

  /**
   * Returns the stdout of the processes {@code start} emits, each chunk lent to {@code read} for the call only
   * (see {@link PipePublisher#lent}) and {@code read}'s results emitted.
   */
  static <T> Flux<T> lent(Mono<List<Execution>> start, Function<? super ByteBuffer, ? extends T> read) {
    return stream(start, stdout -> stdout.lent(read), Function.identity());
  }

  private static <R, T> Flux<T> stream(Mono<List<Execution>> start, Function<PipePublisher, Flux<R>> read,
      Function<Flux<R>, Flux<T>> shape) {
    return GuardedSubscriber.guard(Flux.usingWhen(
        start,
        stages -> stream(stages, read, shape),
        stages -> Mono.fromRunnable(() -> stages.forEach(Execution::release)),
        (stages, error) -> stopAll(stages),
        OutputOperation::stopAll));
  }

  static Mono<Void> stopAll(List<Execution> stages) {
    return Flux.fromIterable(stages).flatMap(Execution::stopAndRelease).then();
  }

  private static <R, T> Flux<T> stream(List<Execution> stages, Function<PipePublisher, Flux<R>> read,
      Function<Flux<R>, Flux<T>> shape) {
    Execution first = stages.get(0);
    Execution last = stages.get(stages.size() - 1);
    List<Capture> tails = new ArrayList<>(stages.size());
    for (Execution stage : stages) {
      tails.add(Capture.of(stage.stderr(), Capture.TAIL));
    }
    first.feedInput();
    Mono<Void> anyTimeout = Mono.firstWithSignal(stages.stream().map(Execution::timedOut).toList());
    Flux<T> data = shape.apply(read.apply(last.stdout()).takeUntilOther(anyTimeout));
    Mono<T> end = Mono.when(stages.stream().map(Execution::exit).toList())
        .then(Mono.when(tails.stream().map(Capture::done).toList()))
        .then(Mono.defer(() -> check(stages, tails)));
    // A timeout fails the stream once the processes are reaped, even when the subscriber stopped requesting:
    // what was read but not yet requested is dropped rather than holding the error back. So does a stream
    // whose reading broke inside the shaping operators (out of memory, say), which can no longer signal.
    Mono<Void> broken = Mono.firstWithSignal(stages.stream().map(Execution::streamFailed).toList());
    return data.concatWith(end).takeUntilOther(Mono.firstWithSignal(anyTimeout.then(end), broken));
  }

  /** Fails with why the run failed: a timeout, the input, or the rightmost stage with a non-zero code. */
  static <T> Mono<T> check(List<Execution> stages, List<Capture> stderrs) {
    for (int i = 0; i < stages.size(); i++) {
      Execution stage = stages.get(i);
      if (stage.hasTimedOut()) {
        return Mono.error(stage.timeoutException(null, Capture.bytes(stderrs.get(i))));
      }
    }
    Throwable inputError = stages.get(0).inputError();
    if (inputError != null) {
      return Mono.error(inputError);
    }
    if (stages.size() > 1) {
      return pipelineCheck(stages, stderrs);
    }
    for (int i = stages.size() - 1; i >= 0; i--) {
      Execution stage = stages.get(i);
      int code = stage.child().exit().join();
      if (Pipefail.isFailure(i, stages.size(), code) && !stage.spec().isSuccess(code)) {
        return Mono.error(stage.calledProcessError(code, null, Capture.bytes(stderrs.get(i))));
      }
    }
    return Mono.empty();
  }

  /**
   * Fails with every failed stage of a pipeline (a stage's ok exit codes are no failure), its stdout not captured
   * and the tails of its stderr kept.
   */
  private static <T> Mono<T> pipelineCheck(List<Execution> stages, List<Capture> stderrs) {
    List<CompletedProcess> results = new ArrayList<>(stages.size());
    List<RunSpec> specs = new ArrayList<>(stages.size());
    List<Integer> codes = new ArrayList<>(stages.size());
    for (int i = 0; i < stages.size(); i++) {
      Execution stage = stages.get(i);
      RunSpec spec = stage.spec();
      int code = stage.child().exit().join();
      specs.add(spec);
      codes.add(code);
      results.add(new CompletedProcess(spec.launch().argv(), code, null, Capture.bytes(stderrs.get(i)),
          spec.encoding(), spec.launch().workingDirectory(), stage.resourceUsage(), spec.decodingErrors()));
    }
    List<PipelineException.FailedStage> failed = Pipefail.failures(specs, codes);
    return failed.isEmpty() ? Mono.empty()
        : Mono.error(new PipelineException(new CompletedPipeline(results), failed));
  }
}

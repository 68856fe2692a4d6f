package dev.subprocess.internal;

import dev.subprocess.CompletedProcess;
import dev.subprocess.OutputLimitException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Runs a process, or the stages of a pipeline, to completion, capturing the piped streams: Python's
 * {@code subprocess.run}. Input is fed while output is read; the results are emitted once every process has
 * exited and its output has ended; a timeout or a cancellation stops the processes with their stop policy and
 * reaps them.
 */
final class RunOperation {
  private static final Logger log = LoggerFactory.getLogger(RunOperation.class);

  private RunOperation() {}

  /** Emits one result per process {@code start} emits, in order. */
  static Mono<List<CompletedProcess>> run(Mono<List<Execution>> start) {
    return run(start, false);
  }

  /**
   * Emits one result per process {@code start} emits, in order; when {@code check}, a process of one that ended
   * with a code its command does not count as success fails the run with a {@code CalledProcessException}.
   */
  static Mono<List<CompletedProcess>> run(Mono<List<Execution>> start, boolean check) {
    return Mono.usingWhen(
        start,
        stages -> complete(stages, check),
        stages -> Mono.fromRunnable(() -> stages.forEach(Execution::release)),
        (stages, error) -> OutputOperation.stopAll(stages),
        OutputOperation::stopAll);
  }

  private static Mono<List<CompletedProcess>> complete(List<Execution> stages, boolean check) {
    long t0 = System.nanoTime();
    List<Capture> outs = new ArrayList<>(stages.size());
    List<Capture> errs = new ArrayList<>(stages.size());
    List<Mono<?>> ends = new ArrayList<>();
    for (Execution stage : stages) {
      Capture out = Capture.all(stage.stdout(), stage.spec().captureLimit(), tooMuch(stage, "stdout"));
      Capture err = Capture.all(stage.stderr(), stage.spec().captureLimit(), tooMuch(stage, "stderr"));
      outs.add(out);
      errs.add(err);
      ends.add(stage.exit());
      ends.add(Capture.done(out));
      ends.add(Capture.done(err));
    }
    stages.get(0).feedInput();
    return Mono.when(ends).then(Mono.defer(() -> {
      try {
        return Mono.just(results(stages, outs, errs, t0, check));
      } catch (Throwable e) {
        // Signalled, not thrown: Reactor would throw a fatal input error (NoClassDefFoundError) on instead.
        return Mono.error(e);
      }
    })).doOnError(e -> discard(outs, errs)).doOnCancel(() -> discard(outs, errs));
  }

  /** Lets go of what the captures hold, once the run failed or was cancelled: nobody will read it. */
  private static void discard(List<Capture> outs, List<Capture> errs) {
    outs.forEach(Capture::discard);
    errs.forEach(Capture::discard);
  }

  /** Makes the error of a capture of {@code stream} that went past its limit. */
  private static LongFunction<RuntimeException> tooMuch(Execution stage, String stream) {
    LaunchSpec launch = stage.spec().launch();
    return max -> new OutputLimitException(launch.argv(), launch.workingDirectory(), "wrote more than " + max
        + " bytes to " + stream + ", more than run() captures (Command.captureLimit); read it as a stream with"
        + " output() or lines(), or redirect it to a file", max);
  }

  private static List<CompletedProcess> results(
      List<Execution> stages, List<Capture> outs, List<Capture> errs, long startNanos, boolean check)
      throws Exception {
    for (int i = 0; i < stages.size(); i++) {
      Execution stage = stages.get(i);
      if (stage.hasTimedOut()) {
        throw stage.timeoutException(Capture.bytes(outs.get(i)), Capture.bytes(errs.get(i)));
      }
    }
    Throwable inputError = stages.get(0).inputError();
    if (inputError instanceof Error e) {
      throw e;
    }
    if (inputError instanceof Exception e) {
      throw e;
    }
    List<CompletedProcess> results = new ArrayList<>(stages.size());
    for (int i = 0; i < stages.size(); i++) {
      Execution stage = stages.get(i);
      RunSpec spec = stage.spec();
      int code = stage.child().exit().join();
      CompletedProcess done = new CompletedProcess(spec.launch().argv(), code, Capture.bytes(outs.get(i)),
          Capture.bytes(errs.get(i)), spec.encoding(), spec.launch().workingDirectory(), stage.resourceUsage(),
          spec.decodingErrors());
      results.add(done);
      if (log.isDebugEnabled()) {
        log.debug("{} returned {} after {} ms", stage.describe(), code, (System.nanoTime() - startNanos) / 1_000_000);
      }
      if (check && !spec.isSuccess(code)) {
        // The backend may say why the process failed: it stopped it itself.
        throw stage.calledProcessError(code, done.stdout(), done.stderr());
      }
    }
    return results;
  }
}

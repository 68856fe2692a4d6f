package dev.subprocess.internal;

import dev.subprocess.CompletedProcess;
import dev.subprocess.TimeoutExpiredException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Runs a process to completion, capturing its piped streams: {@code Command.run()}, Python's
 * {@code subprocess.run}. Input is fed while output is read; the result is emitted once the process has exited
 * and its output has ended; timeout and cancellation stop the process with the stop policy and reap it.
 */
final class RunOperation {
  private static final Logger log = LoggerFactory.getLogger(RunOperation.class);

  private RunOperation() {}

  static Mono<CompletedProcess> run(Launcher launcher, RunSpec spec) {
    return Mono.defer(() -> {
      launcher.requireSupport(spec);
      return Mono.usingWhen(
          Launch.start(launcher, spec),
          RunOperation::complete,
          execution -> Mono.fromRunnable(execution::release),
          (execution, error) -> execution.stopAndRelease(),
          Execution::stopAndRelease);
    });
  }

  private static Mono<CompletedProcess> complete(Execution execution) {
    RunSpec spec = execution.spec();
    long t0 = System.nanoTime();
    Capture out = capture(execution.stdout());
    Capture err = capture(execution.stderr());
    execution.feedInput();
    Mono<Void> outputEnded = Mono.when(done(out), done(err));
    Mono<CompletedProcess> finished = Mono.zip(execution.exit(), outputEnded.thenReturn(true))
        .map(codeAndEnd -> {
          CompletedProcess done = new CompletedProcess(spec.launch().argv(), codeAndEnd.getT1(), bytes(out),
              bytes(err), spec.encoding(), spec.launch().workingDirectory());
          if (log.isDebugEnabled()) {
            log.debug("{} returned {} after {} ms", execution.describe(), done.returnCode(),
                (System.nanoTime() - t0) / 1_000_000);
          }
          return done;
        });
    finished = Mono.firstWithSignal(finished, execution.inputFailure().then(Mono.<CompletedProcess>never()));
    if (spec.timeout() != null) {
      finished = finished.timeout(spec.timeout(), Mono.defer(() -> {
        log.debug("{} timed out after {}", execution.describe(), spec.timeout());
        return execution.stop()
            .then(outputEnded.onErrorResume(e -> Mono.empty()))
            .then(Mono.error(() -> new TimeoutExpiredException(spec.launch().argv(),
                spec.launch().workingDirectory(), spec.timeout(), bytes(out), bytes(err))));
      }));
    }
    if (spec.check()) {
      finished = finished.map(CompletedProcess::checkReturnCode);
    }
    return finished;
  }

  private static Capture capture(PipeFlux stream) {
    if (stream == null) {
      return null;
    }
    Capture capture = Capture.whole();
    stream.subscribe(capture);
    return capture;
  }

  private static Mono<Void> done(Capture capture) {
    return capture == null ? Mono.empty() : capture.done();
  }

  private static byte[] bytes(Capture capture) {
    return capture == null ? null : capture.bytes();
  }
}

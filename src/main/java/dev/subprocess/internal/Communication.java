package dev.subprocess.internal;

import dev.subprocess.CompletedProcess;
import dev.subprocess.TimeoutExpiredException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * Holds the one communication of a started process, Python's {@code communicate}, across the calls that wait for
 * it: the input being written, the captures of the piped streams nobody else reads, and the exit. It starts with
 * the first call and then runs on its own, so that a call that times out loses nothing: the next call waits for
 * the same writes and reads, which went on meanwhile, and its result holds every byte read since the first call.
 */
final class Communication {
  private final Execution execution;
  private final Capture out;
  private final Capture err;
  private final CompletableFuture<Void> finished;

  /**
   * Starts the communication of {@code execution}: captures its piped streams that have no subscriber and waits
   * for them, for {@code input} (null when stdin is not piped) and for the exit.
   */
  Communication(Execution execution, StdinFeeder.Write input) {
    this.execution = execution;
    this.out = capture(execution.ownedStdout());
    this.err = capture(execution.ownedStderr());
    // Writing ends quietly on a broken pipe, as Python's communicate ignores one; the input is the caller's bytes,
    // which cannot fail.
    Mono<Void> written = input == null ? Mono.empty() : input.result().onErrorResume(e -> Mono.empty());
    this.finished = Mono.when(execution.exit(), Capture.done(out), Capture.done(err), written).toFuture();
  }

  /** Subscribes a capture of all that is left of {@code stream}, what was held included; null when it is read. */
  private static Capture capture(SpooledStream stream) {
    if (stream == null) {
      return null;
    }
    Capture capture = Capture.unsubscribed(Capture.UNLIMITED);
    return stream.trySubscribe(capture) ? capture : null;
  }

  /**
   * Emits the finished process once it has exited and its streams have ended; fails with
   * {@link TimeoutExpiredException}, carrying what was read so far, when that takes longer than {@code timeout}
   * (no limit when null), leaving the process and the communication running.
   */
  Mono<CompletedProcess> result(Duration timeout) {
    Mono<Void> done = Mono.fromFuture(finished, true);
    return OwnerWait.within(done, finished::isDone, timeout, () -> OwnerWait.expired(execution, timeout,
            Capture.bytes(out), Capture.bytes(err)))
        .then(Mono.fromCallable(this::completed));
  }

  private CompletedProcess completed() {
    if (execution.hasTimedOut()) {
      throw execution.timeoutException(Capture.bytes(out), Capture.bytes(err));
    }
    RunSpec spec = execution.spec();
    return new CompletedProcess(spec.launch().argv(), execution.child().exit().join(), Capture.bytes(out),
        Capture.bytes(err), spec.encoding(), spec.launch().workingDirectory(), execution.resourceUsage(),
        spec.decodingErrors());
  }
}

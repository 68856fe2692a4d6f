package dev.subprocess.internal;

import dev.subprocess.CompletedProcess;
import dev.subprocess.RunningProcess;
import dev.subprocess.Signals;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Offers a started {@link Execution} to its owner as a {@link RunningProcess}. Reading one of its streams,
 * writing its stdin or waiting for it starts holding the piped output streams nobody reads yet (bounded), so
 * that no combination of pipes can block the child.
 */
final class StartedProcess implements RunningProcess {
  private final Execution execution;

  StartedProcess(Execution execution) {
    this.execution = execution;
  }

  Execution execution() {
    return execution;
  }

  @Override
  public long pid() {
    return execution.child().pid();
  }

  @Override
  public List<String> args() {
    return execution.spec().launch().argv();
  }

  @Override
  public Flux<ByteBuffer> stdout() {
    return stream(execution.ownedStdout(), "stdout");
  }

  @Override
  public Flux<ByteBuffer> stderr() {
    return stream(execution.ownedStderr(), "stderr");
  }

  private Flux<ByteBuffer> stream(SpooledStream stream, String name) {
    if (stream == null) {
      return Flux.error(new IllegalStateException(name + " of " + execution.describe()
          + " is not piped: redirect it with " + name + "(Redirect.PIPE) to read it"));
    }
    // Subscribed first, so that only the other streams are held. The stream holds this process object until it is
    // subscribed, so that the Cleaner cannot release a pipe whose stream is held; the subscription holds only the
    // execution, so that a process whose stream is being read can still be collected and its unread pipes released.
    Execution owner = execution;
    return Flux.defer(() -> {
      java.lang.ref.Reference.reachabilityFence(this);
      return stream.flux().doOnSubscribe(s -> owner.spoolUnread());
    });
  }

  @Override
  public Mono<Void> writeStdin(Publisher<ByteBuffer> data) {
    java.util.Objects.requireNonNull(data, "data");
    return Mono.defer(() -> {
      StdinFeeder feeder = requireStdin();
      execution.spoolUnread();
      if (!feeder.feed(data)) {
        return Mono.error(new IllegalStateException("stdin of " + execution.describe()
            + " was written or closed before: a pipe takes one writeStdin"));
      }
      return feeder.result();
    });
  }

  @Override
  public Mono<Void> closeStdin() {
    return Mono.defer(() -> {
      StdinFeeder feeder = requireStdin();
      if (feeder.feed(null)) {
        return feeder.result();
      }
      feeder.stop();
      return Mono.empty();
    });
  }

  private StdinFeeder requireStdin() {
    StdinFeeder feeder = execution.stdin();
    if (feeder == null) {
      throw new IllegalStateException("stdin of " + execution.describe()
          + " is not piped: redirect it with stdin(Redirect.PIPE) to write it");
    }
    return feeder;
  }

  @Override
  public Mono<Integer> exitCode() {
    return Mono.defer(() -> {
      execution.spoolUnread();
      return execution.exit();
    });
  }

  @Override
  public OptionalInt poll() {
    execution.spoolUnread();
    CompletableFuture<Integer> exit = execution.child().exit();
    return exit.isDone() && !exit.isCompletedExceptionally() ? OptionalInt.of(exit.join()) : OptionalInt.empty();
  }

  @Override
  public Mono<CompletedProcess> communicate() {
    return communicate(null);
  }

  @Override
  public Mono<CompletedProcess> communicate(byte[] input) {
    return Mono.defer(() -> {
      StdinFeeder feeder = execution.stdin();
      if (input != null && feeder == null) {
        return Mono.error(new IllegalStateException("communicate(input) needs stdin piped: " + execution.describe()
            + " has no stdin pipe"));
      }
      Capture out = capture(execution.ownedStdout());
      Capture err = capture(execution.ownedStderr());
      Mono<Void> written = Mono.empty();
      if (feeder != null) {
        boolean fed = feeder.feed(input == null ? null : Mono.fromSupplier(() -> ByteBuffer.wrap(input)));
        if (!fed && input != null) {
          return Mono.error(new IllegalStateException("stdin of " + execution.describe()
              + " was written or closed before: communicate(input) cannot write it"));
        }
        written = feeder.result().onErrorResume(e -> Mono.empty());
      }
      RunSpec spec = execution.spec();
      return Mono.when(execution.exit(), Capture.done(out), Capture.done(err), written)
          .then(Mono.fromCallable(() -> {
            if (execution.hasTimedOut()) {
              throw execution.timeoutException(Capture.bytes(out), Capture.bytes(err));
            }
            return new CompletedProcess(args(), execution.child().exit().join(), Capture.bytes(out),
                Capture.bytes(err), spec.encoding(), spec.launch().workingDirectory(), execution.resourceUsage(),
                spec.decodingErrors());
          }));
    });
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
   * Releases what nobody can use any more, once this process object is unreachable: unread pipes. A stream
   * returned by {@link #stdout()} or {@link #stderr()} keeps this object reachable while it is held.
   */
  static Runnable releaseUnused(Execution execution) {
    return () -> {
      for (SpooledStream stream : new SpooledStream[] {execution.ownedStdout(), execution.ownedStderr()}) {
        if (stream != null) {
          stream.discard();
        }
      }
      StdinFeeder stdin = execution.stdin();
      if (stdin != null) {
        stdin.feed(null);
      }
    };
  }

  @Override
  public void sendSignal(int signal) {
    if (signal < 1 || signal > 64) {
      throw new IllegalArgumentException("no such signal: " + signal + " (signals are 1 to 64)");
    }
    execution.child().signal(signal, false);
  }

  @Override
  public void terminate() {
    sendSignal(Signals.SIGTERM);
  }

  @Override
  public void kill() {
    sendSignal(Signals.SIGKILL);
  }

  @Override
  public void resize(int columns, int rows) {
    TerminalSpec.checkSize(columns, rows);
    if (execution.spec().launch().terminal() == null) {
      throw new IllegalStateException(execution.describe() + " has no terminal to resize: run it with"
          + " Command.terminal(columns, rows)");
    }
    execution.child().resize(columns, rows);
  }

  @Override
  public String toString() {
    return "RunningProcess[" + execution.describe() + "]";
  }
}

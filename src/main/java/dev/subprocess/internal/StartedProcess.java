package dev.subprocess.internal;

import dev.subprocess.CompletedProcess;
import dev.subprocess.RunningProcess;
import dev.subprocess.Signals;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
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
  /** The communication started by the first call of {@code communicate}; guarded by this. */
  private Communication communication;

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
    return stream(execution.ownedStdout(), "stdout", SpooledStream::flux);
  }

  @Override
  public <T> Flux<T> stdout(java.util.function.Function<? super ByteBuffer, ? extends T> read) {
    java.util.Objects.requireNonNull(read, "read");
    return stream(execution.ownedStdout(), "stdout", stream -> stream.<T>lent(read));
  }

  @Override
  public Flux<ByteBuffer> stderr() {
    return stream(execution.ownedStderr(), "stderr", SpooledStream::flux);
  }

  /** Returns {@code stream} as {@code read} reads it, or an error naming {@code name} when it is not piped. */
  private <T> Flux<T> stream(SpooledStream stream, String name,
      java.util.function.Function<SpooledStream, Flux<T>> read) {
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
      return read.apply(stream).doOnSubscribe(s -> owner.spoolUnread());
    });
  }

  @Override
  public Mono<Void> writeStdin(Publisher<ByteBuffer> data) {
    java.util.Objects.requireNonNull(data, "data");
    return write(data, true, "a pipe takes one writeStdin");
  }

  @Override
  public Mono<Void> write(Publisher<ByteBuffer> data) {
    java.util.Objects.requireNonNull(data, "data");
    return write(data, false, "write(...) cannot write it");
  }

  @Override
  public Mono<Void> write(byte[] data) {
    java.util.Objects.requireNonNull(data, "data");
    return write(Mono.fromSupplier(() -> ByteBuffer.wrap(data)));
  }

  @Override
  public Mono<Void> write(String text) {
    java.util.Objects.requireNonNull(text, "text");
    return write(Mono.fromCallable(() -> encode(text, "write(text)")));
  }

  private Mono<Void> write(Publisher<ByteBuffer> data, boolean close, String refusal) {
    return Mono.defer(() -> {
      StdinFeeder feeder = requireStdin();
      execution.spoolUnread();
      StdinFeeder.Write write = feeder.write(data, close, false);
      if (write == null) {
        return Mono.error(closedBefore(refusal));
      }
      return write.result();
    });
  }

  private IllegalStateException closedBefore(String refusal) {
    return new IllegalStateException("stdin of " + execution.describe() + " was written or closed before: "
        + refusal);
  }

  @Override
  public Mono<Void> closeStdin() {
    return Mono.defer(() -> {
      StdinFeeder feeder = requireStdin();
      StdinFeeder.Write close = feeder.write(null, true, true);
      if (close != null) {
        return close.result();
      }
      feeder.stop("its owner closed it");
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
  public Mono<Integer> exitCode(Duration timeout) {
    java.util.Objects.requireNonNull(timeout, "timeout");
    return Mono.defer(() -> {
      execution.spoolUnread();
      return OwnerWait.within(execution.exit(), execution.child().exit()::isDone, timeout,
          () -> OwnerWait.expired(execution, timeout, null, null));
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
    return communicate((Supplier<ByteBuffer>) null, null);
  }

  @Override
  public Mono<CompletedProcess> communicate(Duration timeout) {
    java.util.Objects.requireNonNull(timeout, "timeout");
    return communicate((Supplier<ByteBuffer>) null, timeout);
  }

  @Override
  public Mono<CompletedProcess> communicate(byte[] input) {
    return communicate(bytes(input), null);
  }

  @Override
  public Mono<CompletedProcess> communicate(byte[] input, Duration timeout) {
    java.util.Objects.requireNonNull(timeout, "timeout");
    return communicate(bytes(input), timeout);
  }

  @Override
  public Mono<CompletedProcess> communicate(String input) {
    return communicate(text(input), null);
  }

  @Override
  public Mono<CompletedProcess> communicate(String input, Duration timeout) {
    java.util.Objects.requireNonNull(timeout, "timeout");
    return communicate(text(input), timeout);
  }

  @Override
  public Mono<CompletedProcess> communicate(ByteBuffer input) {
    return communicate(buffer(input), null);
  }

  @Override
  public Mono<CompletedProcess> communicate(ByteBuffer input, Duration timeout) {
    java.util.Objects.requireNonNull(timeout, "timeout");
    return communicate(buffer(input), timeout);
  }

  private static Supplier<ByteBuffer> bytes(byte[] input) {
    return input == null ? null : () -> ByteBuffer.wrap(input);
  }

  private Supplier<ByteBuffer> text(String input) {
    return input == null ? null : () -> encode(input, "communicate(text)");
  }

  /** Takes the remaining bytes of {@code input} as they are now, leaving the caller's position alone. */
  private static Supplier<ByteBuffer> buffer(ByteBuffer input) {
    if (input == null) {
      return null;
    }
    ByteBuffer remaining = input.duplicate();
    return remaining::duplicate;
  }

  /**
   * Encodes {@code text} that a conversation sends to {@code process} with the conversation's {@code charset} and
   * the errors policy of the process's command (strict for a process this library did not start).
   */
  static ByteBuffer encodeSent(RunningProcess process, String text, Charset charset) {
    String advice = "the conversation's encoding; give Conversation.of(process, charset) another, or set"
        + " Command.encodingErrors(CodingErrorAction.REPLACE) to send a replacement instead";
    if (process instanceof StartedProcess started) {
      Execution execution = started.execution;
      return TextEncoding.encode(text, charset, execution.spec().decodingErrors(), "send(text) to "
          + execution.describe(), advice);
    }
    return TextEncoding.encode(text, charset, CodingErrorAction.REPORT, "send(text) to "
        + process.args(), advice);
  }

  /** Encodes {@code text} with the command's encoding and errors policy (strict unless told otherwise). */
  private ByteBuffer encode(String text, String call) {
    RunSpec spec = execution.spec();
    return TextEncoding.encode(text, spec.encoding(), spec.decodingErrors(), call + " for " + execution.describe());
  }

  /**
   * Starts the communication on the first call, or waits for it again: Python's {@code communicate}, which
   * resumes where a call that timed out stopped.
   */
  private Mono<CompletedProcess> communicate(Supplier<ByteBuffer> input, Duration timeout) {
    return Mono.defer(() -> communication(input == null ? null : input.get()).result(timeout));
  }

  private synchronized Communication communication(ByteBuffer input) {
    ByteBuffer given = input == null || !input.hasRemaining() ? null : input;
    Communication started = communication;
    if (started != null) {
      if (given != null) {
        throw new IllegalStateException("cannot send input after starting communication: communicate(input) of "
            + execution.describe() + " was called before, and its input is written meanwhile; call communicate()"
            + " or communicate(timeout) without input to wait for it again");
      }
      return started;
    }
    StdinFeeder feeder = execution.stdin();
    if (given != null && feeder == null) {
      throw new IllegalStateException("communicate(input) needs stdin piped: " + execution.describe()
          + " has no stdin pipe");
    }
    StdinFeeder.Write write = null;
    if (feeder != null) {
      // Checked before any stream is taken, so that a refused call leaves the streams to the next one.
      write = feeder.write(given == null ? null : Mono.just(given), true, true);
      if (write == null && given != null) {
        throw closedBefore("communicate(input) cannot write it");
      }
    }
    communication = new Communication(execution, write);
    return communication;
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
        stdin.write(null, true, true);
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

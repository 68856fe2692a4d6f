package dev.subprocess;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalInt;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Controls a started process that the caller owns: Python's {@code Popen}. Obtained from {@link Command#start()}
 * or, scoped to a body, from {@link Command#execute}.
 *
 * <p>The piped streams are read with backpressure: a chunk is read from the pipe only when the subscriber has
 * requested one, so a subscriber that stops requesting leaves the child blocked on a full pipe. Each stream takes
 * one subscriber. Signals are sent to the process itself, never to a recycled pid. Nothing here blocks.
 */
public interface RunningProcess {

  /** Returns the process id. */
  long pid();

  /** Returns the argv the process was started with. */
  List<String> args();

  /**
   * Returns the process's stdout as chunks, read as the subscriber requests them; completes at end of file.
   * Fails with {@link IllegalStateException} when stdout is not {@link Redirect#PIPE} or already has a subscriber.
   */
  Flux<ByteBuffer> stdout();

  /**
   * Returns the process's stderr as chunks, read as the subscriber requests them; completes at end of file.
   * Fails with {@link IllegalStateException} when stderr is not {@link Redirect#PIPE} or already has a subscriber.
   */
  Flux<ByteBuffer> stderr();

  /**
   * Writes {@code data} into stdin with backpressure (the next buffer is requested once the previous one is in
   * the pipe), then closes stdin. Completes when stdin is closed, also when the child stopped reading early
   * (broken pipe); fails when {@code data} fails, or with {@link IllegalStateException} when stdin is not piped
   * or was written or closed before.
   */
  Mono<Void> writeStdin(Publisher<ByteBuffer> data);

  /** Closes stdin, so that the child reads end of file. Fails with {@link IllegalStateException} when not piped. */
  Mono<Void> closeStdin();

  /** Emits the return code once the process has exited: Python's {@code wait()}. {@code -N} for signal N. */
  Mono<Integer> exitCode();

  /** Returns the return code if the process has exited, or empty while it runs: Python's {@code poll()}. */
  OptionalInt poll();

  /**
   * Closes stdin, reads the piped streams nobody is reading to their end, waits for the exit, and emits the
   * result: Python's {@code communicate()}. A stream that already has a subscriber is reported as null.
   */
  Mono<CompletedProcess> communicate();

  /**
   * Writes {@code input} to stdin and closes it, reads the piped streams nobody is reading to their end, waits
   * for the exit, and emits the result: Python's {@code communicate(input)}.
   */
  Mono<CompletedProcess> communicate(byte[] input);

  /**
   * Sends {@code signal} to the process: Python's {@code send_signal}. Does nothing once it has exited.
   *
   * @throws UnsupportedOperationException if the backend cannot send this signal
   */
  void sendSignal(int signal);

  /** Sends SIGTERM: Python's {@code terminate()}. */
  void terminate();

  /** Sends SIGKILL: Python's {@code kill()}. */
  void kill();
}

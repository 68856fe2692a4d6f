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
 *
 * <p>The streams' chunks, the exit code and stdin's progress are signalled on the thread that subscribed or
 * requested, or on one of the library's threads (the linux backend's event loop {@code subprocess-epoll}, which
 * serves every process of the JVM, or a {@code subprocess-jdk-N} thread). These are Reactor non-blocking threads:
 * {@code block()} there fails at once with {@link IllegalStateException}. Use
 * {@code publishOn(Schedulers.boundedElastic())} for blocking work. A stream that the caller holds keeps this
 * process's pipes open, also when this object itself is no longer referenced.
 *
 * <p>No combination of pipes deadlocks: once one stream is read, stdin is written, or the process is waited for
 * ({@link #exitCode()}, {@link #poll()}), every piped output stream that has no subscriber yet is read into memory
 * for its later subscriber, which gets those bytes first and reads the rest with backpressure. At most
 * {@link Command#unreadBufferLimit(int)} bytes are held per stream; past that the stream is discarded, the child
 * runs on, and its later subscriber fails with {@link IllegalStateException} naming the limit.
 *
 * <pre>{@code
 * Mono<Integer> code = Command.of("sleep", "60").start()
 *     .flatMap(p -> {
 *       p.terminate();                           // SIGTERM
 *       return p.exitCode();                     // -15
 *     });
 * }</pre>
 */
public interface RunningProcess {

  /**
   * Returns the process id.
   *
   * @return the operating system's pid of the child
   */
  long pid();

  /**
   * Returns the argv the process was started with.
   *
   * @return the program followed by its arguments, unmodifiable
   */
  List<String> args();

  /**
   * Returns the process's stdout as chunks, read as the subscriber requests them; completes at end of file.
   * Bytes held while it had no subscriber come first. Fails with {@link IllegalStateException} when stdout is not
   * {@link Redirect#PIPE}, already has a subscriber, or went past the unread buffer limit while unread. Chunks
   * arrive on the subscriber's thread or a library thread, which must not block (see above): use {@code publishOn}
   * for blocking work.
   *
   * @return the stdout chunks, for a single subscriber
   */
  Flux<ByteBuffer> stdout();

  /**
   * Returns the process's stderr as chunks, read as the subscriber requests them; completes at end of file.
   * Bytes held while it had no subscriber come first. Fails with {@link IllegalStateException} when stderr is not
   * {@link Redirect#PIPE}, already has a subscriber, or went past the unread buffer limit while unread. Chunks
   * arrive on the subscriber's thread or a library thread, which must not block (see above): use {@code publishOn}
   * for blocking work.
   *
   * @return the stderr chunks, for a single subscriber
   */
  Flux<ByteBuffer> stderr();

  /**
   * Writes {@code data} into stdin with backpressure (the next buffer is requested once the previous one is in
   * the pipe), then closes stdin. Completes when stdin is closed, also when the child stopped reading early
   * (broken pipe); fails when {@code data} fails, or with {@link IllegalStateException} when stdin is not piped
   * or was written or closed before.
   *
   * @param data the bytes to write, subscribed to once the returned {@code Mono} is subscribed
   * @return a {@code Mono} that completes once all of {@code data} is written and stdin is closed
   */
  Mono<Void> writeStdin(Publisher<ByteBuffer> data);

  /**
   * Closes stdin, so that the child reads end of file. Fails with {@link IllegalStateException} when not piped.
   *
   * @return a {@code Mono} that completes once stdin is closed
   */
  Mono<Void> closeStdin();

  /**
   * Emits the return code once the process has exited: Python's {@code wait()}. {@code -N} for signal N.
   *
   * @return a {@code Mono} that emits the return code when the process ends
   */
  Mono<Integer> exitCode();

  /**
   * Returns the return code if the process has exited, or empty while it runs: Python's {@code poll()}.
   *
   * @return the return code, or an empty {@code OptionalInt} while the process is still running
   */
  OptionalInt poll();

  /**
   * Closes stdin, reads the piped streams nobody is reading to their end, waits for the exit, and emits the
   * result: Python's {@code communicate()}. A stream that already has a subscriber is reported as null.
   *
   * @return a {@code Mono} of the finished process, with what was read of stdout and stderr
   */
  Mono<CompletedProcess> communicate();

  /**
   * Writes {@code input} to stdin and closes it, reads the piped streams nobody is reading to their end, waits
   * for the exit, and emits the result: Python's {@code communicate(input)}.
   *
   * @param input the bytes to write to stdin before closing it
   * @return a {@code Mono} of the finished process, with what was read of stdout and stderr
   */
  Mono<CompletedProcess> communicate(byte[] input);

  /**
   * Sends {@code signal} to the process: Python's {@code send_signal}. Does nothing once it has exited. Both
   * backends send any signal; the jdk backend sends one other than SIGTERM and SIGKILL through the shell's
   * {@code kill}, a short-lived process it waits for.
   *
   * @param signal the signal number, 1 to 64, such as {@link Signals#SIGTERM}
   * @throws UnsupportedOperationException if the backend cannot send this signal (the jdk backend on a system
   *     without {@code /bin/sh})
   */
  void sendSignal(int signal);

  /** Sends SIGTERM: Python's {@code terminate()}. */
  void terminate();

  /** Sends SIGKILL: Python's {@code kill()}. */
  void kill();

  /**
   * Changes the window size of the process's {@linkplain Command#terminal(int, int) terminal}, so that the
   * terminal's foreground process group receives SIGWINCH and {@code stty size} reports the new size. Does nothing
   * once the process has exited.
   *
   * @param columns the window's new width in characters, 1 to 65535
   * @param rows the window's new height in lines, 1 to 65535
   * @throws IllegalStateException if the process was not started under a terminal
   * @throws IllegalArgumentException if a dimension is out of range
   */
  void resize(int columns, int rows);
}

package dev.subprocess;

import java.nio.ByteBuffer;
import java.time.Duration;
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
   * Returns the process's stdout as {@link #stdout()} does, each chunk given to {@code read} and {@code read}'s
   * results emitted in its place. The chunk is lent for the call only, as with {@link Command#output(Function)}:
   * copy what you keep. {@code read} runs on the reading thread, which must not block. A subscriber that comes
   * before any of stdout was held (see {@link #stdout()}) is lent the library's reused read buffer, so no chunk is
   * copied; chunks held before it came are handed over as {@link #stdout()} emits them. This default
   * implementation maps {@link #stdout()}.
   *
   * <pre>{@code
   * Flux<Long> sizes = process.stdout(chunk -> (long) chunk.remaining());
   * }</pre>
   *
   * @param read what to make of each chunk, lent for the call only
   * @param <T> what {@code read} makes of a chunk
   * @return {@code read}'s results, for a single subscriber
   */
  default <T> Flux<T> stdout(java.util.function.Function<? super ByteBuffer, ? extends T> read) {
    java.util.Objects.requireNonNull(read, "read");
    return stdout().map(read);
  }

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
   * the pipe), after the {@link #write(Publisher) writes} asked for before, then closes stdin. Completes when stdin
   * is closed; also when the process exits while {@code data} has no buffer on its way, which is then cancelled.
   * Fails with {@link java.io.UncheckedIOException} when a buffer cannot be written because the child closed its
   * stdin or exited (a broken pipe, Python's {@code BrokenPipeError}), when {@code data} fails, or with
   * {@link IllegalStateException} when stdin is not piped or was closed before (by this method,
   * {@link #closeStdin()}, {@code communicate} or the command's input).
   *
   * @param data the bytes to write, subscribed to once the returned {@code Mono} is subscribed
   * @return a {@code Mono} that completes once all of {@code data} is written and stdin is closed
   */
  Mono<Void> writeStdin(Publisher<ByteBuffer> data);

  /**
   * Writes {@code data} into stdin and leaves it open for more: Python's {@code p.stdin.write(...)} followed by
   * {@code flush()}. Writes are written in the order they are subscribed, each after the one before, with
   * backpressure; the last one is {@link #writeStdin(Publisher) writeStdin}, {@link #closeStdin()} or
   * {@code communicate(more)}, which close stdin after it. Completes once every buffer of {@code data} is in the
   * pipe; fails as {@link #writeStdin(Publisher)} does, with {@link java.io.UncheckedIOException} on a broken pipe,
   * except that a failing {@code data} leaves stdin open. Use it for a conversation: write a request, read the
   * answer from {@link #stdout()}, write the next.
   *
   * <pre>{@code
   * Mono<CompletedProcess> sorted = process.write("pear\n")
   *     .then(process.write("apple\n"))
   *     .then(process.communicate("fig\n"));        // written last, then stdin is closed
   * }</pre>
   *
   * @param data the bytes to write, subscribed to once the returned {@code Mono} is subscribed
   * @return a {@code Mono} that completes once all of {@code data} is in the pipe, stdin still open
   */
  Mono<Void> write(Publisher<ByteBuffer> data);

  /**
   * Writes {@code data} into stdin and leaves it open, as {@link #write(Publisher)} does.
   *
   * @param data the bytes to write, read when the returned {@code Mono} is subscribed
   * @return a {@code Mono} that completes once {@code data} is in the pipe, stdin still open
   */
  Mono<Void> write(byte[] data);

  /**
   * Writes {@code text}, encoded with the command's {@linkplain Command#encoding(java.nio.charset.Charset)
   * encoding}, into stdin and leaves it open, as {@link #write(Publisher)} does. Text the encoding cannot represent
   * fails the {@code Mono} with {@link IllegalArgumentException} rather than being replaced, unless the command's
   * {@linkplain Command#encodingErrors encodingErrors} say to replace or drop it.
   *
   * @param text the text to write
   * @return a {@code Mono} that completes once the encoded text is in the pipe, stdin still open
   */
  Mono<Void> write(String text);

  /**
   * Closes stdin, after the writes asked for before, so that the child reads end of file; cuts short a
   * {@link #writeStdin(Publisher) writeStdin} still in progress. Completes also on a broken pipe. Fails with
   * {@link IllegalStateException} when not piped.
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
   * Emits the return code once the process has exited, or fails with {@link TimeoutExpiredException} when it has
   * not within {@code timeout}: Python's {@code wait(timeout)}. The process is left running and this can be
   * subscribed again. The time counts from each subscription; the exception carries {@code timeout} and no output
   * ({@code stdout()} and {@code stderr()} are null), as Python's does. A zero or negative timeout polls: it emits
   * the code of a process that has exited and fails at once otherwise.
   *
   * <p>Where Python blocks the calling thread, this returns a {@code Mono}: the wait is an event, and no thread is
   * held while it lasts. Cancelling the subscription gives up the wait and, like the timeout, leaves the process
   * alone.
   *
   * <pre>{@code
   * Mono<Integer> code = process.exitCode(Duration.ofSeconds(5))
   *     .onErrorResume(TimeoutExpiredException.class, late -> {
   *       process.kill();                            // still running: the caller decides
   *       return process.exitCode();
   *     });
   * }</pre>
   *
   * @param timeout how long each subscription waits for the exit
   * @return a {@code Mono} of the return code, failing with {@link TimeoutExpiredException} after {@code timeout}
   */
  Mono<Integer> exitCode(Duration timeout);

  /**
   * Returns the return code if the process has exited, or empty while it runs: Python's {@code poll()}.
   *
   * @return the return code, or an empty {@code OptionalInt} while the process is still running
   */
  OptionalInt poll();

  /**
   * Closes stdin, reads the piped streams nobody is reading to their end, waits for the exit, and emits the
   * result: Python's {@code communicate()}. A stream that already has a subscriber is reported as null. After a
   * {@link #communicate(byte[], Duration) communicate} that timed out, this waits for the same communication, which
   * went on meanwhile: its result holds everything read since the first call.
   *
   * @return a {@code Mono} of the finished process, with what was read of stdout and stderr
   */
  Mono<CompletedProcess> communicate();

  /**
   * Waits for the communication as {@link #communicate()} does, or fails with {@link TimeoutExpiredException} when
   * the process has not exited and its streams have not ended within {@code timeout}: Python's
   * {@code communicate(timeout=...)}. See {@link #communicate(byte[], Duration)}.
   *
   * @param timeout how long each subscription waits
   * @return a {@code Mono} of the finished process, failing with {@link TimeoutExpiredException} after
   *     {@code timeout}
   */
  Mono<CompletedProcess> communicate(Duration timeout);

  /**
   * Writes {@code input} to stdin (after the {@link #write(Publisher) writes} asked for before) and closes it,
   * reads the piped streams nobody is reading to their end, waits for the exit, and emits the result: Python's
   * {@code communicate(input)}. A child that exited or stopped reading (a broken pipe) is no error: the rest of the
   * input is dropped, as Python does. Input cannot be given once a communication has started (Python's
   * {@code ValueError}); null or empty input is no input.
   *
   * @param input the bytes to write to stdin before closing it
   * @return a {@code Mono} of the finished process, with what was read of stdout and stderr
   * @throws IllegalStateException (in the {@code Mono}) when stdin is not piped or was closed before, or
   *     input is given after the communication started
   */
  Mono<CompletedProcess> communicate(byte[] input);

  /**
   * Communicates as {@link #communicate(byte[])} does, with {@code input} encoded with the command's
   * {@linkplain Command#encoding(java.nio.charset.Charset) encoding}: Python's {@code communicate(input)} with
   * {@code text=True}. Text the encoding cannot represent fails the {@code Mono} with
   * {@link IllegalArgumentException}, as Python's strict encoding does, rather than being replaced, unless the
   * command's {@linkplain Command#encodingErrors encodingErrors} say to replace or drop it.
   *
   * @param input the text to write to stdin before closing it
   * @return a {@code Mono} of the finished process, with what was read of stdout and stderr
   */
  Mono<CompletedProcess> communicate(String input);

  /**
   * Communicates as {@link #communicate(byte[])} does, writing the remaining bytes of {@code input} (from its
   * position to its limit, as they are when this is called; its position is left alone). Direct and read-only
   * buffers are written as they are.
   *
   * @param input the bytes to write to stdin before closing it
   * @return a {@code Mono} of the finished process, with what was read of stdout and stderr
   */
  Mono<CompletedProcess> communicate(ByteBuffer input);

  /**
   * Communicates as {@link #communicate(byte[])} does, or fails with {@link TimeoutExpiredException} when the
   * process has not exited and its streams have not ended within {@code timeout}: Python's
   * {@code communicate(input, timeout)}. Nothing is stopped: the process runs on, and so does the communication.
   * The input goes on being written (a write blocked on a full pipe continues where it was), and the streams go on
   * being read into memory. The exception carries {@code timeout} and copies of what was read so far (null for a
   * stream that is not piped or has another subscriber). A later {@link #communicate()} or
   * {@link #communicate(Duration)} waits for the same communication, so nothing written or read is lost or
   * repeated; Python's pattern works as it is:
   *
   * <pre>{@code
   * Mono<CompletedProcess> result = process.communicate(input, Duration.ofSeconds(15))
   *     .onErrorResume(TimeoutExpiredException.class, late -> {
   *       process.kill();
   *       return process.communicate();              // what was read before and after the timeout, and -9
   *     });
   * }</pre>
   *
   * <p>Where Python blocks the calling thread, this returns a {@code Mono} whose time counts from each
   * subscription, and the communication goes on between calls instead of pausing, so the child is never left
   * blocked on a full pipe while nobody is waiting. Cancelling the subscription gives up waiting, as a timeout
   * does. A command's own {@link Command#timeout(Duration) timeout} still stops the process: then this fails with
   * that timeout's exception.
   *
   * @param input the bytes to write to stdin before closing it, or null for none
   * @param timeout how long each subscription waits; zero or negative polls
   * @return a {@code Mono} of the finished process, failing with {@link TimeoutExpiredException} after
   *     {@code timeout}
   */
  Mono<CompletedProcess> communicate(byte[] input, Duration timeout);

  /**
   * Communicates as {@link #communicate(byte[], Duration)} does, with {@code input} encoded with the command's
   * encoding as {@link #communicate(String)} does.
   *
   * @param input the text to write to stdin before closing it, or null for none
   * @param timeout how long each subscription waits; zero or negative polls
   * @return a {@code Mono} of the finished process, failing with {@link TimeoutExpiredException} after
   *     {@code timeout}
   */
  Mono<CompletedProcess> communicate(String input, Duration timeout);

  /**
   * Communicates as {@link #communicate(byte[], Duration)} does, writing the remaining bytes of {@code input} as
   * {@link #communicate(ByteBuffer)} does.
   *
   * @param input the bytes to write to stdin before closing it, or null for none
   * @param timeout how long each subscription waits; zero or negative polls
   * @return a {@code Mono} of the finished process, failing with {@link TimeoutExpiredException} after
   *     {@code timeout}
   */
  Mono<CompletedProcess> communicate(ByteBuffer input, Duration timeout);

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

package dev.subprocess.pool;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.function.Consumer;

/**
 * Says how requests are written to a worker's stdin and how its answers are cut out of its stdout: one answer
 * per request, in order. {@link #lines()} and {@link #lengthPrefixed()} cover the usual protocols; implement this
 * interface for another one.
 *
 * <pre>{@code
 * Framing<String, String> lines = Framing.lines();               // "request\n" -> "answer\n"
 * Framing<byte[], byte[]> frames = Framing.lengthPrefixed();     // 4-byte big-endian length, then the bytes
 * }</pre>
 *
 * @param <Q> the type of the requests
 * @param <R> the type of the responses
 */
public interface Framing<Q, R> {

  /**
   * Returns the bytes that carry {@code request} to the worker, framing included. Called on the submitting thread,
   * before any worker is taken, so that a request the framing cannot carry fails at once.
   *
   * @param request the request to encode, never null
   * @param charset the encoding of the pool's command, for text framings
   * @return a buffer of the bytes to write, owned by the pool from then on
   * @throws IllegalArgumentException if the request cannot be framed (a line break inside a line, for example)
   */
  ByteBuffer encode(Q request, Charset charset);

  /**
   * Returns a new decoder for one worker's stdout.
   *
   * @param charset the encoding of the pool's command, for text framings
   * @return a decoder that holds the state of one stream
   * @throws IllegalArgumentException if this framing cannot work in {@code charset}
   */
  Decoder<R> newDecoder(Charset charset);

  /**
   * Cuts a worker's stdout into responses. Used by one worker at a time, never concurrently.
   *
   * @param <R> the type of the responses
   */
  interface Decoder<R> {
    /**
     * Consumes {@code chunk} and hands every response it completes to {@code responses}, in order.
     *
     * @param chunk the next bytes of the worker's stdout
     * @param responses receives each complete response
     * @throws RuntimeException if the bytes are not a valid response: the worker is then stopped and replaced
     */
    void decode(ByteBuffer chunk, Consumer<? super R> responses);

    /**
     * Tells whether bytes of an unfinished response are held: at the end of stdout, a worker that ended
     * mid-response.
     *
     * @return true when a response has started but not ended
     */
    boolean hasPartial();
  }

  /**
   * Returns the newline-delimited text framing: each request is written as one line ({@code \n} appended), and
   * each line of stdout is one response, without its {@code \n} (nor a {@code \r} before it). Text is encoded and
   * decoded with the command's encoding, which must write {@code \n} as the one byte 0x0A (UTF-8, ISO-8859-1,
   * ASCII and the like); bytes that are not valid in it are decoded as U+FFFD. A line is at most 1 MiB long unless
   * the pool's {@link WorkerPool.Builder#maxLineLength(int) maxLineLength} says otherwise: a worker that writes a
   * longer one is stopped and replaced, and its request fails.
   *
   * @return the line framing; a request containing {@code \n} or {@code \r} is refused
   */
  static Framing<String, String> lines() {
    return LineFraming.INSTANCE;
  }

  /**
   * Returns the length-prefixed binary framing with frames of up to 64 MiB: each request and each response is a
   * 4-byte big-endian length followed by that many bytes.
   *
   * @return the length-prefixed framing
   */
  static Framing<byte[], byte[]> lengthPrefixed() {
    return lengthPrefixed(LengthPrefixedFraming.DEFAULT_MAX_FRAME);
  }

  /**
   * Returns the length-prefixed binary framing with frames of up to {@code maxFrameBytes}: a worker that announces
   * a longer response is stopped and replaced, and a longer request is refused.
   *
   * @param maxFrameBytes the largest frame, in bytes, positive
   * @return the length-prefixed framing
   * @throws IllegalArgumentException if {@code maxFrameBytes} is not positive
   */
  static Framing<byte[], byte[]> lengthPrefixed(int maxFrameBytes) {
    if (maxFrameBytes <= 0) {
      throw new IllegalArgumentException("maxFrameBytes must be positive, got " + maxFrameBytes);
    }
    return new LengthPrefixedFraming(maxFrameBytes);
  }
}

package dev.subprocess.pool;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;

/** Frames requests and responses as lines: the request plus {@code \n}; each stdout line is a response. */
final class LineFraming implements Framing<String, String> {
  static final LineFraming INSTANCE = new LineFraming();
  /** The longest line a worker may write, without its {@code \n}, unless the pool's builder says otherwise. */
  static final int DEFAULT_MAX_LINE = 1 << 20;
  private static final Set<Charset> ASCII_SUPERSETS = Set.of(StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1,
      StandardCharsets.US_ASCII);

  private LineFraming() {}

  @Override
  public ByteBuffer encode(String request, Charset charset) {
    boolean ascii = true;
    for (int i = 0; i < request.length(); i++) {
      char c = request.charAt(i);
      if (c == '\n' || c == '\r') {
        throw new IllegalArgumentException("a request of the line framing is one line, but this one has a line"
            + " break at index " + i + ": " + abbreviate(request));
      }
      ascii &= c < 0x80;
    }
    if (ascii && ASCII_SUPERSETS.contains(charset)) {
      // The common case, without an encoder: these encodings write each ASCII character as its one byte.
      byte[] frame = new byte[request.length() + 1];
      for (int i = 0; i < request.length(); i++) {
        frame[i] = (byte) request.charAt(i);
      }
      frame[frame.length - 1] = '\n';
      return ByteBuffer.wrap(frame);
    }
    try {
      ByteBuffer encoded = charset.newEncoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .encode(CharBuffer.wrap(request));
      ByteBuffer frame = ByteBuffer.allocate(encoded.remaining() + 1);
      return frame.put(encoded).put((byte) '\n').flip();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the request cannot be encoded in " + charset + ": " + abbreviate(request),
          e);
    }
  }

  @Override
  public Decoder<String> newDecoder(Charset charset) {
    return newDecoder(charset, DEFAULT_MAX_LINE);
  }

  /** Returns a decoder that refuses a line of more than {@code maxLine} bytes, without its {@code \n}. */
  Decoder<String> newDecoder(Charset charset, int maxLine) {
    if (!Arrays.equals("\n".getBytes(charset), new byte[] {'\n'})) {
      throw new IllegalArgumentException("the line framing needs an encoding that writes \\n as the byte 0x0A, and "
          + charset + " does not: set the command's encoding to UTF-8 or another ASCII-compatible one");
    }
    return new LineDecoder(charset, maxLine);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  /**
   * Splits stdout on {@code \n}; a line's bytes are kept until its end arrives, up to {@code maxLine} of them (and
   * a {@code \r} that may end it): a longer line fails the decoding as soon as it passes the limit, so that a worker
   * that never ends its line cannot fill this process's memory. The limit is on the line's text: neither the
   * {@code \n} nor a {@code \r} before it counts.
   */
  private static final class LineDecoder implements Decoder<String> {
    private final Charset charset;
    private final int maxLine;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    /** The last partial byte is a {@code \r}, which is no part of the line if the {@code \n} follows it. */
    private boolean partialEndsInCr;

    LineDecoder(Charset charset, int maxLine) {
      this.charset = charset;
      this.maxLine = maxLine;
    }

    @Override
    public void decode(ByteBuffer chunk, Consumer<? super String> responses) {
      while (chunk.hasRemaining()) {
        int start = chunk.position();
        int end = indexOfNewline(chunk, start, chunk.limit());
        if (length(chunk, start, end < 0 ? chunk.limit() : end) > maxLine) {
          throw new IllegalStateException("a line longer than " + maxLine + " bytes, the limit of the line framing"
              + " (WorkerPool.Builder.maxLineLength); raise the limit, or have the worker end its lines sooner");
        }
        if (end < 0) {
          append(chunk, start, chunk.limit());
          chunk.position(chunk.limit());
          return;
        }
        String line;
        if (partial.size() == 0) {
          line = text(chunk, start, end);
        } else {
          append(chunk, start, end);
          byte[] bytes = partial.toByteArray();
          partial.reset();
          partialEndsInCr = false;
          line = text(ByteBuffer.wrap(bytes), 0, bytes.length);
        }
        chunk.position(end + 1);
        responses.accept(line);
      }
    }

    /**
     * Returns the length of the line so far, the partial bytes and {@code chunk}'s from {@code from} to {@code to},
     * without a {@code \r} at its end: it ends the line if the {@code \n} comes next, and counts once more bytes
     * follow it.
     */
    private long length(ByteBuffer chunk, int from, int to) {
      long length = (long) partial.size() + (to - from);
      boolean cr = to > from ? chunk.get(to - 1) == '\r' : partialEndsInCr;
      return cr ? length - 1 : length;
    }

    private static int indexOfNewline(ByteBuffer b, int from, int to) {
      for (int i = from; i < to; i++) {
        if (b.get(i) == '\n') {
          return i;
        }
      }
      return -1;
    }

    private void append(ByteBuffer b, int from, int to) {
      if (to > from) {
        partialEndsInCr = b.get(to - 1) == '\r';
      }
      if (b.hasArray()) {
        partial.write(b.array(), b.arrayOffset() + from, to - from);
      } else {
        for (int i = from; i < to; i++) {
          partial.write(b.get(i));
        }
      }
    }

    private String text(ByteBuffer b, int from, int to) {
      if (to > from && b.get(to - 1) == '\r') {
        to--;
      }
      if (b.hasArray()) {
        return new String(b.array(), b.arrayOffset() + from, to - from, charset);
      }
      byte[] bytes = new byte[to - from];
      b.get(from, bytes);
      return new String(bytes, charset);
    }

    @Override
    public boolean hasPartial() {
      return partial.size() > 0;
    }
  }
}

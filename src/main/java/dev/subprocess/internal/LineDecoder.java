package dev.subprocess.internal;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Decodes a stream of byte chunks into lines, with universal newlines ({@code \n}, {@code \r\n} and {@code \r}
 * all end a line; the terminator is not part of the line), whatever the chunk boundaries: a multi-byte
 * character or a {@code \r\n} split across two chunks comes out whole. A line longer than the maximum length
 * fails the stream as soon as it passes the limit, so that one endless line never fills the heap. Not
 * thread-safe: one per stream.
 */
final class LineDecoder {
  private final CharsetDecoder decoder;
  private final String description;
  private final int maxLineLength;
  private final IntFunction<RuntimeException> tooLong;
  private final CharBuffer chars = CharBuffer.allocate(8192);
  private final StringBuilder line = new StringBuilder();
  private ByteBuffer pending = ByteBuffer.allocate(0);
  private boolean afterCr;
  private long offset;
  private RuntimeException failure;

  /**
   * Creates a decoder for {@code charset} that reports malformed input ({@link CodingErrorAction#REPORT}),
   * replaces it or ignores it, as {@code errors} says.
   */
  LineDecoder(Charset charset, CodingErrorAction errors, String description) {
    this(charset, errors, description, Integer.MAX_VALUE, max -> new IllegalStateException(
        description + " has a line longer than " + max + " characters"));
  }

  /**
   * Creates a decoder as above that fails with what {@code tooLong} makes of the limit once a line passes
   * {@code maxLineLength} characters.
   */
  LineDecoder(Charset charset, CodingErrorAction errors, String description, int maxLineLength,
      IntFunction<RuntimeException> tooLong) {
    this.decoder = charset.newDecoder().onMalformedInput(errors).onUnmappableCharacter(errors);
    this.description = description;
    this.maxLineLength = maxLineLength;
    this.tooLong = tooLong;
  }

  /**
   * Decodes {@code chunk} and returns the lines it completed. Lines before malformed input or an overlong line
   * are returned first; the next call throws.
   *
   * @throws UncheckedIOException if the input so far is malformed and errors are reported
   * @throws RuntimeException what the constructor's {@code tooLong} makes, once a line is longer than the limit
   */
  List<String> feed(ByteBuffer chunk) {
    throwIfFailed();
    ByteBuffer in = chunk;
    if (pending.hasRemaining()) {
      in = ByteBuffer.allocate(pending.remaining() + chunk.remaining()).put(pending).put(chunk).flip();
    }
    List<String> lines = new ArrayList<>();
    decode(in, false, lines);
    pending = in.hasRemaining() ? ByteBuffer.allocate(in.remaining()).put(in).flip() : ByteBuffer.allocate(0);
    return lines;
  }

  /** Decodes what is left at the end of the stream and returns the last lines, the unterminated one included. */
  List<String> finish() {
    throwIfFailed();
    List<String> lines = new ArrayList<>();
    decode(pending, true, lines);
    throwIfFailed();
    CoderResult r;
    do {
      r = decoder.flush(chars);
      scan(lines);
      throwIfFailed();
    } while (r.isOverflow());
    if (line.length() > 0) {
      lines.add(line.toString());
      line.setLength(0);
    }
    return lines;
  }

  private void decode(ByteBuffer in, boolean endOfInput, List<String> lines) {
    while (true) {
      int before = in.position();
      CoderResult r = decoder.decode(in, chars, endOfInput);
      offset += in.position() - before;
      scan(lines);
      if (failure != null) {
        if (lines.isEmpty()) {
          throw failure;
        }
        return;
      }
      if (r.isOverflow()) {
        continue;
      }
      if (r.isError()) {
        failure = malformed(r);
        if (lines.isEmpty()) {
          throw failure;
        }
        return;
      }
      return;
    }
  }

  private void throwIfFailed() {
    if (failure != null) {
      throw failure;
    }
  }

  private UncheckedIOException malformed(CoderResult r) {
    CharacterCodingException cause;
    try {
      r.throwException();
      throw new IllegalStateException("not an error: " + r);
    } catch (CharacterCodingException e) {
      cause = e;
    }
    return new UncheckedIOException(description + " is not valid " + decoder.charset().name() + ": "
        + cause.getMessage() + " at byte " + offset, cause);
  }

  private void scan(List<String> lines) {
    chars.flip();
    while (chars.hasRemaining()) {
      char c = chars.get();
      if (afterCr) {
        afterCr = false;
        if (c == '\n') {
          continue;
        }
      }
      if (c == '\n' || c == '\r') {
        lines.add(line.toString());
        line.setLength(0);
        afterCr = c == '\r';
      } else if (line.length() < maxLineLength) {
        line.append(c);
      } else {
        line.setLength(0);
        failure = tooLong.apply(maxLineLength);
        break;
      }
    }
    chars.clear();
  }
}

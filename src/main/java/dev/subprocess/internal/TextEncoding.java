package dev.subprocess.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;

/**
 * Encodes text written to a child's stdin as Python's text mode does, with the command's encoding and its
 * {@code errors} policy: {@code REPORT} (strict, the default) refuses a character the encoding cannot carry, naming
 * it and its index; {@code REPLACE} writes the encoding's replacement instead; {@code IGNORE} drops it.
 */
final class TextEncoding {
  /** What a refusal of a command's text advises: the command's encoding and errors policy, or bytes. */
  static final String COMMAND_ENCODING = "the command's encoding; set Command.encoding(charset),"
      + " Command.encodingErrors(CodingErrorAction.REPLACE) to write a replacement instead, or give bytes";

  private TextEncoding() {}

  /**
   * Returns {@code text} encoded in {@code charset}.
   *
   * @param what what the text is, for the message: {@code input(text) of [cat]}
   * @throws IllegalArgumentException if {@code errors} is {@code REPORT} and the text holds a character that
   *     {@code charset} cannot encode, or a lone surrogate
   */
  static ByteBuffer encode(String text, Charset charset, CodingErrorAction errors, String what) {
    return encode(text, charset, errors, what, COMMAND_ENCODING);
  }

  /**
   * Returns {@code text} encoded in {@code charset}, a refusal naming whose encoding it is and what to do instead.
   *
   * @param what what the text is, for the message: {@code send(text) to process 12 [sh]}
   * @param advice what follows the encoding's name in a refusal: whose encoding it is, and the ways out
   * @throws IllegalArgumentException if {@code errors} is {@code REPORT} and the text holds a character that
   *     {@code charset} cannot encode, or a lone surrogate
   */
  static ByteBuffer encode(String text, Charset charset, CodingErrorAction errors, String what, String advice) {
    try {
      return encoder(charset, errors).encode(CharBuffer.wrap(text));
    } catch (CharacterCodingException e) {
      throw refusal(text, charset, what, advice, e);
    }
  }

  private static CharsetEncoder encoder(Charset charset, CodingErrorAction errors) {
    return charset.newEncoder().onMalformedInput(errors).onUnmappableCharacter(errors);
  }

  /** Finds the first character that cannot be encoded again, step by step, to name it and its index. */
  private static IllegalArgumentException refusal(String text, Charset charset, String what, String advice,
      CharacterCodingException e) {
    CharsetEncoder encoder = encoder(charset, CodingErrorAction.REPORT);
    CharBuffer in = CharBuffer.wrap(text);
    ByteBuffer out = ByteBuffer.allocate(1024);
    String problem = "a character";
    while (true) {
      CoderResult result = encoder.encode(in, out, true);
      if (result.isOverflow()) {
        out.clear();
        continue;
      }
      if (result.isError()) {
        int index = in.position();
        int codePoint = text.codePointAt(index);
        String kind = result.isMalformed() ? "the lone surrogate" : "the character";
        problem = kind + " " + String.format("U+%04X", codePoint) + " at index " + index;
      }
      break;
    }
    return new IllegalArgumentException(what + ": " + problem + " cannot be encoded in " + charset.name() + ", "
        + advice, e);
  }
}

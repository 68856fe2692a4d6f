package dev.subprocess;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;

/** Decodes captured output the way Python's text mode does: strictly unless told otherwise, with universal newlines. */
final class Text {
  private Text() {}

  static String decode(byte[] bytes, Charset charset, String what) {
    return decode(bytes, charset, CodingErrorAction.REPORT, what);
  }

  /** Decodes with {@code errors} for malformed or unmappable input: REPORT fails, REPLACE and IGNORE do not. */
  static String decode(byte[] bytes, Charset charset, CodingErrorAction errors, String what) {
    CharBuffer chars;
    try {
      chars = charset.newDecoder()
          .onMalformedInput(errors)
          .onUnmappableCharacter(errors)
          .decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      throw new UncheckedIOException(
          what + " is not valid " + charset.name() + " (" + bytes.length + " bytes): " + e.getMessage(), e);
    }
    return universalNewlines(chars);
  }

  /** Translates {@code \r\n} and lone {@code \r} to {@code \n}. */
  static String universalNewlines(CharSequence text) {
    int firstCr = indexOf(text, '\r');
    if (firstCr < 0) {
      return text.toString();
    }
    StringBuilder out = new StringBuilder(text.length());
    out.append(text, 0, firstCr);
    for (int i = firstCr; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r') {
        out.append('\n');
        if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int indexOf(CharSequence text, char c) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == c) {
        return i;
      }
    }
    return -1;
  }
}

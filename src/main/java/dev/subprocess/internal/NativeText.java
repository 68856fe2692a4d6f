package dev.subprocess.internal;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Encodes the arguments and environment of a local child, never substituting a character: the linux backend
 * passes them as UTF-8 whatever the JVM's {@code sun.jnu.encoding} (an ASCII locale, {@code LANG=C}, would turn
 * every other character into {@code ?}), and a lone surrogate from U+DC80 to U+DCFF as the byte it escapes
 * (0x80 to 0xFF, Python's {@code surrogateescape}, the way {@code os.fsencode} gives back bytes that were not
 * UTF-8). Any other lone surrogate encodes to nothing and is refused before a start, on every backend; the jdk
 * backend, whose ProcessBuilder encodes with {@code sun.jnu.encoding}, also refuses what that charset cannot encode.
 */
public final class NativeText {
  /** The charset the JVM encodes arguments, the environment and file names with. */
  public static final Charset JNU = jnu();

  private NativeText() {}

  private static Charset jnu() {
    try {
      return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
    } catch (RuntimeException e) {
      return StandardCharsets.UTF_8;
    }
  }

  /** Returns {@code s} as UTF-8, a lone surrogate U+DC80..U+DCFF as the byte it escapes. */
  public static byte[] encode(String s) {
    if (!hasSurrogate(s)) {
      return s.getBytes(StandardCharsets.UTF_8);
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        byte[] pair = s.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
        out.write(pair, 0, pair.length);
        i++;
      } else if (c >= '\uDC80' && c <= '\uDCFF') {
        out.write(c - 0xDC00);
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("a lone surrogate U+" + Integer.toHexString(c).toUpperCase()
            + " encodes to no bytes");
      } else {
        byte[] one = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(one, 0, one.length);
      }
    }
    return out.toByteArray();
  }

  /**
   * Checks that every argument and variable of {@code spec} can be encoded: no lone surrogate but the escaped bytes
   * U+DC80..U+DCFF.
   *
   * @throws IllegalArgumentException naming the argument or variable
   */
  static void requireEncodable(LaunchSpec spec) {
    check(spec, null);
  }

  /**
   * Checks that {@code charset} encodes every argument and variable of {@code spec} that this process passes on
   * (the inherited environment, which it read, aside).
   *
   * @throws IllegalArgumentException naming the argument or variable and the charset
   */
  public static void requireEncodable(LaunchSpec spec, Charset charset) {
    check(spec, charset.newEncoder());
  }

  private static void check(LaunchSpec spec, CharsetEncoder encoder) {
    for (int i = 0; i < spec.argv().size(); i++) {
      String arg = spec.argv().get(i);
      if (!encodable(arg, encoder)) {
        throw refused(spec, "argument " + i + " (" + quote(arg) + ")", encoder);
      }
    }
    if (spec.executable() != null && !encodable(spec.executable().toString(), encoder)) {
      throw refused(spec, "the executable " + quote(spec.executable().toString()), encoder);
    }
    if (spec.environment() != null) {
      checkVariables(spec, spec.environment(), encoder);
    }
    checkVariables(spec, spec.environmentAdditions(), encoder);
  }

  private static void checkVariables(LaunchSpec spec, Map<String, String> variables, CharsetEncoder encoder) {
    variables.forEach((name, value) -> {
      if (!encodable(name, encoder) || !encodable(value, encoder)) {
        throw refused(spec, "the environment variable " + quote(name), encoder);
      }
    });
  }

  private static boolean encodable(String s, CharsetEncoder encoder) {
    if (encoder != null) {
      return encoder.canEncode(s);
    }
    if (!hasSurrogate(s)) {
      return true;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c) && !(c >= '\uDC80' && c <= '\uDCFF')) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isSurrogate(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static IllegalArgumentException refused(LaunchSpec spec, String what, CharsetEncoder encoder) {
    String why = encoder == null
        ? "contains a lone surrogate, which encodes to no bytes (only U+DC80..U+DCFF stand for the bytes"
            + " 0x80..0xFF, as Python's surrogateescape)"
        : "contains a character that " + encoder.charset() + ", this JVM's sun.jnu.encoding with which the jdk"
            + " backend's ProcessBuilder encodes it, cannot encode; it would reach the child as '?'. Run the JVM"
            + " under a UTF-8 locale (LC_ALL=C.UTF-8), or use the linux backend, which passes UTF-8";
    return new IllegalArgumentException("Cannot run program '" + spec.program() + "': " + what + " " + why
        + "\n  command: " + printable(spec.argv().toString()));
  }

  private static String quote(String s) {
    return "'" + printable(s) + "'";
  }

  /** Shows lone surrogates as escapes, so that the message itself can be printed. */
  private static String printable(String s) {
    if (!hasSurrogate(s)) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append("\\u").append(Integer.toHexString(c).toUpperCase());
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }
}

package dev.subprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of {@link LineDecoder}: the lines (or the failure) depend only on the bytes, never on how they were
 * cut into chunks. Every property compares a chunked decoding with a one-chunk decoding, a one-byte-at-a-time
 * decoding, and a model written here from scratch (universal newlines over the JDK's own decoding).
 */
class LineDecoderPropertiesTest {

  /** Text pieces: ASCII, 2-, 3- and 4-byte UTF-8 characters, every line ending, and a line longer than 8 KiB. */
  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> piece = Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(20, Arbitraries.of("a", "b", "line", " ", "x1")),
        net.jqwik.api.Tuple.of(10, Arbitraries.of("é", "ß", "Ω", "ж")),
        net.jqwik.api.Tuple.of(10, Arbitraries.of("€", "中", "文", "\uFFFD", "\u2028")),
        net.jqwik.api.Tuple.of(10, Arbitraries.of("😀", "𝄞", "\uD83D\uDE80")),
        net.jqwik.api.Tuple.of(25, Arbitraries.of("\n", "\r", "\r\n", "\r\r", "\n\r")),
        net.jqwik.api.Tuple.of(1, Arbitraries.just("y".repeat(9000))),
        net.jqwik.api.Tuple.of(1, Arbitraries.just("€".repeat(3000))));
    return piece.list().ofMaxSize(40).map(pieces -> String.join("", pieces));
  }

  /** Bytes that are mostly valid UTF-8 with malformed sequences mixed in. */
  @Provide
  Arbitrary<byte[]> dirtyBytes() {
    Arbitrary<byte[]> valid = texts().map(t -> t.getBytes(StandardCharsets.UTF_8));
    Arbitrary<byte[]> invalid = Arbitraries.of(
        new byte[] {(byte) 0xFF},
        new byte[] {(byte) 0x80},
        new byte[] {(byte) 0xC0, (byte) 0x80},
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        new byte[] {(byte) 0xE2, (byte) 0x82},
        new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
        new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
        new byte[] {(byte) 0xE2, '\n'},
        new byte[] {(byte) 0xE2, '\r', '\n'});
    Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(8);
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(5, valid), net.jqwik.api.Tuple.of(3, invalid), net.jqwik.api.Tuple.of(1, random))
        .list().ofMaxSize(12)
        .map(LineDecoderPropertiesTest::concat);
  }

  @Property(tries = 400)
  void validUtf8GivesTheSameLinesForEveryChunking(
      @ForAll("texts") String text,
      @ForAll @Size(max = 30) List<@IntRange(min = 1, max = 17) Integer> chunkSizes) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    List<String> expected = model(text);
    assertThat(decode(bytes, List.of(Integer.MAX_VALUE), CodingErrorAction.REPORT).lines).isEqualTo(expected);
    assertThat(decode(bytes, List.of(1), CodingErrorAction.REPORT).lines).isEqualTo(expected);
    assertThat(decode(bytes, chunkSizes, CodingErrorAction.REPORT).lines).isEqualTo(expected);
  }

  @Property(tries = 300)
  void crLfSplitAcrossEveryBoundaryIsOneLineEnding(
      @ForAll @Size(max = 20) List<@net.jqwik.api.constraints.StringLength(max = 5) @net.jqwik.api.constraints.AlphaChars String> lines,
      @ForAll @IntRange(min = 1, max = 7) int chunk) {
    String text = String.join("\r\n", lines) + (lines.isEmpty() ? "" : "\r\n");
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    // Every cut position, so that some chunk ends right between \r and \n.
    for (int cut = 0; cut <= bytes.length; cut++) {
      List<Integer> sizes = List.of(Math.max(cut, 1), chunk);
      assertThat(decode(bytes, sizes, CodingErrorAction.REPORT).lines).as("cut at %d", cut).isEqualTo(lines);
    }
  }

  @Property(tries = 400)
  void malformedInputFailsStrictlyTheSameWayForEveryChunking(
      @ForAll("dirtyBytes") byte[] bytes,
      @ForAll @Size(max = 30) List<@IntRange(min = 1, max = 17) Integer> chunkSizes) {
    Decoded whole = decode(bytes, List.of(Integer.MAX_VALUE), CodingErrorAction.REPORT);
    Decoded oneByOne = decode(bytes, List.of(1), CodingErrorAction.REPORT);
    Decoded chunked = decode(bytes, chunkSizes, CodingErrorAction.REPORT);
    String strict = strictJdkDecode(bytes);
    if (strict != null) {
      assertThat(whole.failure).isNull();
      assertThat(whole.lines).isEqualTo(model(strict));
    } else {
      assertThat(whole.failure).isNotNull();
      assertThat(whole.failure.getMessage()).contains("test input", "is not valid UTF-8", "at byte");
      assertThat(whole.failure.getCause()).isInstanceOf(CharacterCodingException.class);
      // The lines before the malformed input come out first: those the model finds in the valid prefix.
      assertThat(whole.lines).isEqualTo(completeLines(validPrefix(bytes)));
    }
    assertThat(oneByOne).isEqualTo(whole);
    assertThat(chunked).isEqualTo(whole);
  }

  @Property(tries = 400)
  void malformedInputIsReplacedTheSameWayForEveryChunking(
      @ForAll("dirtyBytes") byte[] bytes,
      @ForAll @Size(max = 30) List<@IntRange(min = 1, max = 17) Integer> chunkSizes) {
    // The JDK's String constructor replaces malformed input with U+FFFD, as a REPLACE decoder does.
    List<String> expected = model(new String(bytes, StandardCharsets.UTF_8));
    assertThat(decode(bytes, List.of(Integer.MAX_VALUE), CodingErrorAction.REPLACE).lines).isEqualTo(expected);
    assertThat(decode(bytes, List.of(1), CodingErrorAction.REPLACE).lines).isEqualTo(expected);
    assertThat(decode(bytes, chunkSizes, CodingErrorAction.REPLACE).lines).isEqualTo(expected);
  }

  @Property(tries = 100)
  void aFailedDecoderKeepsFailing(@ForAll @IntRange(min = 0, max = 5) int validLines) {
    LineDecoder decoder = new LineDecoder(StandardCharsets.UTF_8, CodingErrorAction.REPORT, "test input");
    byte[] bytes = concat(List.of("ok\n".repeat(validLines).getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF}));
    List<String> first = new ArrayList<>();
    try {
      first.addAll(decoder.feed(ByteBuffer.wrap(bytes)));
    } catch (UncheckedIOException expected) {
      assertThat(validLines).isZero();
    }
    assertThat(first).hasSize(validLines);
    assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap("more\n".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining("test input");
    assertThatThrownBy(decoder::finish).isInstanceOf(UncheckedIOException.class);
  }

  // ---------------------------------------------------------------------------------------------------------

  /** What a decoding produced: the lines, and the failure that ended it, if any. */
  record Decoded(List<String> lines, UncheckedIOException failure) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Decoded d && d.lines.equals(lines) && ((d.failure == null) == (failure == null))
          && (failure == null || d.failure.getMessage().equals(failure.getMessage()));
    }

    @Override
    public int hashCode() {
      return lines.hashCode();
    }
  }

  /** Feeds {@code bytes} in chunks of the given sizes (the last size repeats), then finishes. */
  static Decoded decode(byte[] bytes, List<Integer> sizes, CodingErrorAction errors) {
    LineDecoder decoder = new LineDecoder(StandardCharsets.UTF_8, errors, "test input");
    List<String> lines = new ArrayList<>();
    int at = 0;
    int i = 0;
    try {
      while (at < bytes.length) {
        int size = sizes.isEmpty() ? Integer.MAX_VALUE : sizes.get(Math.min(i++, sizes.size() - 1));
        int n = (int) Math.min(size, bytes.length - at);
        // A read-only view of a larger array, as the backends hand over slices.
        ByteBuffer chunk = ByteBuffer.wrap(bytes, at, n).slice().asReadOnlyBuffer();
        lines.addAll(decoder.feed(chunk));
        at += n;
      }
      lines.addAll(decoder.finish());
      return new Decoded(lines, null);
    } catch (UncheckedIOException e) {
      return new Decoded(lines, e);
    }
  }

  /** Universal newlines, written independently: {@code \r\n}, {@code \r} and {@code \n} end a line. */
  static List<String> model(String text) {
    List<String> lines = completeLines(text);
    int end = lastTerminatorEnd(text);
    if (end < text.length()) {
      lines.add(text.substring(end));
    }
    return lines;
  }

  /** The terminated lines of {@code text}, without a last unterminated one. */
  static List<String> completeLines(String text) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n') {
        lines.add(line.toString());
        line.setLength(0);
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
      } else {
        line.append(c);
      }
    }
    return lines;
  }

  private static int lastTerminatorEnd(String text) {
    int end = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\r' || c == '\n') {
        end = i + 1;
      }
    }
    return end;
  }

  /** Decodes strictly with the JDK, or returns null when the bytes are not valid UTF-8. */
  static String strictJdkDecode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** The text of the longest prefix of {@code bytes} that decodes strictly, up to the first malformed byte. */
  static String validPrefix(byte[] bytes) {
    var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
    decoder.decode(ByteBuffer.wrap(bytes), out, true);
    return out.flip().toString();
  }

  static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }
}

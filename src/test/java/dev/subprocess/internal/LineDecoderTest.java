package dev.subprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Line splitting and decoding give the same lines for every way of cutting the same bytes into chunks. */
class LineDecoderTest {
  private static final byte[] TEXT = "héllo\r\nwörld €\rthird 𝄞 line\n\nlast without end"
      .getBytes(StandardCharsets.UTF_8);
  private static final List<String> LINES = List.of("héllo", "wörld €", "third 𝄞 line", "", "last without end");

  @Test
  void everySingleCutGivesTheSameLines() {
    for (int cut = 0; cut <= TEXT.length; cut++) {
      assertThat(decode(TEXT, cut, TEXT.length)).as("cut at %d", cut).isEqualTo(LINES);
    }
  }

  @Test
  void everyPairOfCutsGivesTheSameLines() {
    for (int a = 0; a <= TEXT.length; a++) {
      for (int b = a; b <= TEXT.length; b++) {
        assertThat(decode(TEXT, a, b)).as("cuts at %d and %d", a, b).isEqualTo(LINES);
      }
    }
  }

  @Test
  void oneByteAtATimeGivesTheSameLines() {
    LineDecoder decoder = strict();
    List<String> lines = new ArrayList<>();
    for (byte b : TEXT) {
      lines.addAll(decoder.feed(ByteBuffer.wrap(new byte[] {b})));
    }
    lines.addAll(decoder.finish());
    assertThat(lines).isEqualTo(LINES);
  }

  @Test
  void aCrLfSplitAcrossChunksIsOneLineEnd() {
    LineDecoder decoder = strict();
    List<String> lines = new ArrayList<>(decoder.feed(ascii("a\r")));
    lines.addAll(decoder.feed(ascii("\nb\r")));
    lines.addAll(decoder.feed(ascii("\r\n")));
    lines.addAll(decoder.finish());
    assertThat(lines).containsExactly("a", "b", "");
  }

  @Test
  void malformedInputFailsInStrictModeAfterTheLinesBeforeIt() {
    LineDecoder decoder = strict();
    assertThat(decoder.feed(ByteBuffer.wrap(new byte[] {'o', 'k', '\n', (byte) 0xff, 'x'}))).containsExactly("ok");
    assertThatThrownBy(decoder::finish)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("stdout of test is not valid UTF-8")
        .hasMessageContaining("at byte 3");
  }

  @Test
  void aTruncatedCharacterAtTheEndFailsInStrictMode() {
    LineDecoder decoder = strict();
    decoder.feed(ByteBuffer.wrap(new byte[] {'a', (byte) 0xe2, (byte) 0x82}));
    assertThatThrownBy(decoder::finish).isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void malformedInputIsReplacedInReplacingMode() {
    LineDecoder decoder = new LineDecoder(StandardCharsets.UTF_8, CodingErrorAction.REPLACE, "test");
    List<String> lines = new ArrayList<>(decoder.feed(ByteBuffer.wrap(new byte[] {'a', (byte) 0xff, 'b', '\n'})));
    lines.addAll(decoder.finish());
    assertThat(lines).containsExactly("a\uFFFDb");
  }

  private static List<String> decode(byte[] bytes, int cutA, int cutB) {
    LineDecoder decoder = strict();
    List<String> lines = new ArrayList<>();
    lines.addAll(decoder.feed(ByteBuffer.wrap(bytes, 0, cutA)));
    lines.addAll(decoder.feed(ByteBuffer.wrap(bytes, cutA, cutB - cutA)));
    lines.addAll(decoder.feed(ByteBuffer.wrap(bytes, cutB, bytes.length - cutB)));
    lines.addAll(decoder.finish());
    return lines;
  }

  private static LineDecoder strict() {
    return new LineDecoder(StandardCharsets.UTF_8, CodingErrorAction.REPORT, "stdout of test");
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }
}

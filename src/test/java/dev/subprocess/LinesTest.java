package dev.subprocess;

import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** lines(): stdout decoded and split with universal newlines, with backpressure per line. */
class LinesTest {

  @Test
  void splitsOnEveryLineEndingAndKeepsAnUnterminatedLastLine() {
    StepVerifier.create(Command.of("printf", "a\\r\\nb\\rc\\n\\nd").lines())
        .expectNext("a", "b", "c", "", "d")
        .verifyComplete();
  }

  @Test
  void linesAreDeliveredOnlyAsRequested() {
    StepVerifier.create(Command.of("seq", "1", "100000").lines(), 2)
        .expectNext("1", "2")
        .thenRequest(3)
        .expectNext("3", "4", "5")
        .thenCancel()
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void strictDecodingFailsOnMalformedOutput() {
    StepVerifier.create(Command.of("printf", "ok\\n\\377\\n").lines())
        .expectNext("ok")
        .expectError(UncheckedIOException.class)
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void replacingDecodingReplacesMalformedOutput() {
    StepVerifier.create(Command.of("printf", "ok\\n\\377\\n").encodingErrors(CodingErrorAction.REPLACE).lines())
        .expectNext("ok", "\uFFFD")
        .verifyComplete();
  }

  @Test
  void decodesWithTheCommandsEncoding() {
    StepVerifier.create(Command.of("printf", "caf\\351\\n").encoding(StandardCharsets.ISO_8859_1).lines())
        .expectNext("café")
        .verifyComplete();
  }

  @Test
  void aFailingCommandEmitsItsLinesThenFails() {
    StepVerifier.create(Command.shell("printf 'x\\ny'; exit 2").lines())
        .expectNext("x", "y")
        .expectError(CalledProcessException.class)
        .verify(Duration.ofSeconds(20));
  }
}

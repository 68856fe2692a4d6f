package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.testing.Await;
import dev.subprocess.testing.LeakCheck;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** pipe(): a command as a stream operator, fed from upstream with backpressure. */
class PipeOperatorTest {

  private static Flux<ByteBuffer> records(int n) {
    return Flux.range(0, n).map(i -> ByteBuffer.wrap(("record " + i + "\n").getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void bytesGoThroughTheProcessAndComeOutDownstream() {
    String out = records(1000).transform(Command.of("gzip", "-c")::pipe)
        .transform(Command.of("gunzip", "-c")::pipe)
        .map(OutputStreamTest::text)
        .reduce("", String::concat)
        .block();
    assertThat(out).startsWith("record 0\n").endsWith("record 999\n").hasLineCount(1000);
  }

  @Test
  void upstreamIsReadOnlyAsFastAsTheProcessTakesIt() {
    AtomicLong produced = new AtomicLong();
    Flux<ByteBuffer> endless = Flux.generate(sink -> {
      produced.incrementAndGet();
      sink.next(ByteBuffer.wrap(new byte[64 * 1024]));
    });
    StepVerifier.create(endless.transform(Command.of("cat")::pipe), 1)
        .expectNextCount(1)
        .then(() -> {
          long pid = LeakCheck.children().get(0).pid();
          Await.until("cat blocks on its full stdout", () -> dev.subprocess.testing.ProcStat.blockedOnPipeWrite(pid));
          // Bounded by the two pipes and the chunks in flight, not by the endless upstream.
          assertThat(produced.get()).isLessThan(64);
        })
        .thenCancel()
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void aProcessThatExitsEarlyEndsTheFeedQuietlyAndCancelsUpstream() {
    AtomicBoolean cancelled = new AtomicBoolean();
    Flux<ByteBuffer> endless = Flux.<ByteBuffer>generate(sink -> sink.next(ByteBuffer.wrap(new byte[8192])))
        .doOnCancel(() -> cancelled.set(true));
    StepVerifier.create(endless.transform(Command.of("head", "-c", "10")::pipe).map(ByteBuffer::remaining)
            .reduce(0, Integer::sum))
        .expectNext(10)
        .verifyComplete();
    assertThat(cancelled).isTrue();
  }

  @Test
  void anUpstreamErrorStopsTheProcessAndFailsDownstream() {
    Flux<ByteBuffer> failing = records(10).concatWith(Flux.error(new IllegalStateException("bad record")));
    StepVerifier.create(failing.transform(Command.of("cat")::pipe))
        .thenConsumeWhile(b -> true)
        .expectErrorMessage("bad record")
        .verify(Duration.ofSeconds(20));
    Await.until("cat is stopped", () -> LeakCheck.children().isEmpty());
  }

  @Test
  void aFailingProcessFailsTheStream() {
    StepVerifier.create(records(3).transform(Command.shell("cat >/dev/null; echo 'bad gzip' >&2; exit 1")::pipe))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(CalledProcessException.class)
            .hasMessageContaining("bad gzip"))
        .verify(Duration.ofSeconds(20));
  }
}

package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.LeakCheck;
import dev.subprocess.testing.ProcStat;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * {@code output(read)}: stdout with each chunk lent to {@code read} for the call only, with the backpressure,
 * checks and cancellation of {@code output()}.
 */
class LentOutputTest {

  /** Copies the lent chunk out, as a reader that keeps bytes must. */
  private static byte[] copy(ByteBuffer chunk) {
    byte[] bytes = new byte[chunk.remaining()];
    chunk.get(bytes);
    return bytes;
  }

  private static String expectedSeq(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(Integer::toString).collect(Collectors.joining("\n", "", "\n"));
  }

  @Test
  void readSeesEveryByteInOrder() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    java.nio.channels.WritableByteChannel sink = java.nio.channels.Channels.newChannel(all);
    Long total = Command.of("seq", "1", "300000")
        .output(chunk -> {
          try {
            return (long) sink.write(chunk);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        })
        .reduce(0L, Long::sum)
        .block(Duration.ofSeconds(60));
    String expected = expectedSeq(300000);
    assertThat(total).isEqualTo(expected.length());
    assertThat(all.toString(StandardCharsets.US_ASCII)).isEqualTo(expected);
  }

  @Test
  void whatReadCopiesOutIsKeptIntactWhileLaterChunksArrive() {
    List<byte[]> kept = Command.of("seq", "1", "200000").output(LentOutputTest::copy)
        .collectList()
        .block(Duration.ofSeconds(60));
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    kept.forEach(joined::writeBytes);
    assertThat(joined.toString(StandardCharsets.US_ASCII)).isEqualTo(expectedSeq(200000));
  }

  @Test
  void demandStillReachesTheChild() {
    AtomicInteger reads = new AtomicInteger();
    StepVerifier.create(Command.of("yes").stdin(Redirect.DEVNULL).output(chunk -> {
      reads.incrementAndGet();
      return chunk.remaining();
    }), 1)
        .expectNextCount(1)
        .then(() -> {
          long pid = LeakCheck.children().get(0).pid();
          Await.until("yes blocks on the full pipe", () -> ProcStat.blockedOnPipeWrite(pid));
          // Nothing is read ahead of demand: one chunk lent, the rest still in the pipe.
          assertThat(reads.get()).isEqualTo(1);
          assertThat(ProcStat.bytesWritten(pid)).isLessThan(256 * 1024);
        })
        .thenRequest(16)
        .expectNextCount(16)
        .then(() -> assertThat(reads.get()).isEqualTo(17))
        .thenCancel()
        .verify(Duration.ofSeconds(30));
    Await.until("yes is stopped and reaped", () -> LeakCheck.children().isEmpty());
  }

  @Test
  void aNonZeroExitFailsAfterTheDataAsOutputDoes() {
    StepVerifier.create(Command.shell("echo partial; echo 'disk full' >&2; exit 3")
            .output(chunk -> StandardCharsets.UTF_8.decode(chunk).toString()))
        .expectNext("partial\n")
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(CalledProcessException.class);
          assertThat(((CalledProcessException) e).returnCode()).isEqualTo(3);
          assertThat(e.getMessage()).contains("disk full");
        })
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void whatReadThrowsFailsTheStreamAndStopsTheProcess() {
    IllegalStateException bad = new IllegalStateException("cannot parse");
    StepVerifier.create(Command.of("yes").stdin(Redirect.DEVNULL).output(chunk -> {
      throw bad;
    }))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(bad))
        .verify(Duration.ofSeconds(30));
    Await.until("yes is stopped and reaped", () -> LeakCheck.children().isEmpty());
  }

  @Test
  void aNullFromReadFailsTheStream() {
    StepVerifier.create(Command.of("echo", "x").output(chunk -> null))
        .expectError(NullPointerException.class)
        .verify(Duration.ofSeconds(30));
    Await.until("echo is reaped", () -> LeakCheck.children().isEmpty());
  }

  @Test
  void aPipelineLendsItsLastStagesChunks() {
    String sorted = Pipeline.of(Command.of("printf", "b\\na\\nc\\n"), Command.of("sort"))
        .output(chunk -> StandardCharsets.UTF_8.decode(chunk).toString())
        .collect(Collectors.joining())
        .block(Duration.ofSeconds(30));
    assertThat(sorted).isEqualTo("a\nb\nc\n");
  }

  @Test
  void aRunningProcessLendsItsStdout() {
    AtomicInteger lent = new AtomicInteger();
    String echoed = Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE).start()
        .flatMapMany(p -> Flux.merge(
            // stdout first: subscribed before anything of it was held, it reads the pipe itself.
            p.stdout(chunk -> {
              // A lent chunk is a view of the reused read buffer, larger than the chunk.
              if (chunk.hasArray() && chunk.array().length > chunk.remaining()) {
                lent.incrementAndGet();
              }
              return StandardCharsets.UTF_8.decode(chunk).toString();
            }),
            p.writeStdin(Flux.just(ByteBuffer.wrap("lent\n".getBytes(StandardCharsets.UTF_8)))).then(
                reactor.core.publisher.Mono.<String>empty()),
            p.exitCode().then(reactor.core.publisher.Mono.<String>empty())))
        .collect(Collectors.joining())
        .block(Duration.ofSeconds(30));
    assertThat(echoed).isEqualTo("lent\n");
    assertThat(lent.get()).as("chunks lent").isPositive();
  }

  @Test
  void aRunningProcessStdoutHeldBeforeItsSubscriberCameIsMappedAsHandedOver() {
    String echoed = Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE).start()
        .flatMapMany(p -> p.writeStdin(Flux.just(ByteBuffer.wrap("held\n".getBytes(StandardCharsets.UTF_8))))
            .then(p.exitCode())
            // The process has exited with its stdout held: what was held comes first.
            .thenMany(p.stdout(chunk -> StandardCharsets.UTF_8.decode(chunk).toString())))
        .collect(Collectors.joining())
        .block(Duration.ofSeconds(30));
    assertThat(echoed).isEqualTo("held\n");
  }

  @Test
  void aLentChunkReachesNoBytesButItsOwn() {
    // A first stream leaves its bytes in the reused buffer; the next stream's lent chunks must not reach them.
    Command.shell("head -c 60000 /dev/zero | tr '\\0' S").output(chunk -> chunk.remaining())
        .blockLast(Duration.ofSeconds(30));
    List<String> seen = Command.of("echo", "hi").output(chunk -> {
      int size = chunk.remaining();
      chunk.clear();
      return size + "/" + chunk.remaining();
    }).collectList().block(Duration.ofSeconds(30));
    assertThat(seen).containsExactly("3/3");
  }

  @Test
  void aTerminalsOutputIsLentToo() {
    assumeTrue(Engine.backendName().equals("linux"), "terminals are a linux backend feature");
    // Lent, the chunk is a view of the reused read buffer, larger than the chunk; a copy has its exact size.
    List<Boolean> lent = Command.of("echo", "hi").terminal().output(chunk -> chunk.array().length > chunk.remaining())
        .collectList().block(Duration.ofSeconds(30));
    assertThat(lent).isNotEmpty().containsOnly(true);
  }
}

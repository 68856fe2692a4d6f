package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** Input is written while stdout and stderr are read, so no size of either can deadlock. */
class NoDeadlockTest {

  @Test
  void sixteenMebibytesThroughCat() throws Exception {
    byte[] input = new byte[16 * 1024 * 1024];
    new Random(42).nextBytes(input);
    CompletedProcess done = Command.of("cat").input(input).captureOutput().check().run().block();
    assertThat(done.stdout()).hasSize(input.length);
    assertThat(MessageDigest.isEqual(sha(done.stdout()), sha(input))).isTrue();
  }

  @Test
  void eightMegabytesOnStdoutAndStderrAtTheSameTime() {
    CompletedProcess done = Command.shell(
            "head -c 8000000 /dev/zero >&2 & head -c 8000000 /dev/zero; wait")
        .captureOutput()
        .check()
        .run()
        .block();
    assertThat(done.stdout()).hasSize(8_000_000);
    assertThat(done.stderr()).hasSize(8_000_000);
  }

  @Test
  void streamedInputIsWrittenWithBackpressureWhileOutputIsRead() {
    int chunks = 256;
    Flux<ByteBuffer> input = Flux.range(0, chunks).map(i -> ByteBuffer.wrap(new byte[64 * 1024]));
    CompletedProcess done = Command.shell("cat; cat >&2 </dev/null")
        .input(input)
        .captureOutput()
        .run()
        .block();
    assertThat(done.stdout()).hasSize(chunks * 64 * 1024);
  }

  @Test
  void aChildThatReadsNoInputEndsTheFeedQuietly() {
    CompletedProcess done = Command.of("true").input(new byte[4 * 1024 * 1024]).captureOutput().run().block();
    assertThat(done.returnCode()).isZero();
  }

  @Test
  void aChildThatStopsReadingMidwayEndsTheFeedQuietly() {
    CompletedProcess done = Command.of("head", "-c", "10").input(new byte[4 * 1024 * 1024]).captureOutput()
        .run().block();
    assertThat(done.stdout()).hasSize(10);
  }

  private static byte[] sha(byte[] bytes) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }
}

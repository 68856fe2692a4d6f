package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * Output read on while it streams in: a burst that the child wrote and then exited after (the pipe holds the bytes
 * and the end of file, which a read that goes on reading meets) arrives once and then ends, one chunk asked for
 * at a time; a long stream arrives whole whatever its chunks.
 */
class OutputBurstTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** More than a page (a read of that much makes the reader read on) and less than a pipe holds. */
  private static final int BURST = 5000;

  /** Starts {@code head -c BURST} and waits for its exit, so that its whole output waits in the pipe. */
  private static RunningProcess exitedWithABurstInThePipe() {
    RunningProcess p = Command.of("head", "-c", Integer.toString(BURST), "/dev/zero").stdin(Redirect.DEVNULL)
        .stdout(Redirect.PIPE).start().block(WAIT);
    assertThat(p.exitCode().block(WAIT)).isZero();
    return p;
  }

  @Test
  void aBurstReadOneChunkAtATimeArrivesOnceThenEnds() {
    RunningProcess p = exitedWithABurstInThePipe();
    List<Integer> sizes = new ArrayList<>();
    // One chunk asked for at a time, as the subscriber above does.
    StepVerifier.create(p.stdout(ByteBuffer::remaining).limitRate(1).doOnNext(sizes::add))
        .thenConsumeWhile(n -> n > 0)
        .expectComplete()
        .verify(WAIT);
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(BURST);
  }

  @Test
  void everyByteOfALongStreamArrivesOnceWhateverTheChunks() {
    long total = Command.of("head", "-c", Integer.toString(64 << 20), "/dev/zero").output()
        .map(chunk -> (long) chunk.remaining()).reduce(0L, Long::sum).block(WAIT);
    assertThat(total).isEqualTo(64L << 20);
  }
}

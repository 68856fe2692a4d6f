package dev.subprocess.pipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * A data pipeline: a Flux of records, encoded to bytes, through {@code sort} and then {@code gzip} as stream
 * operators, written to a file and read back equal, in a JVM whose heap is smaller than the gibibyte that goes
 * through.
 */
class DataPipelineTest {
  private static final int RECORD_BYTES = 64;
  private static final long RECORDS = (1L << 30) / RECORD_BYTES;
  /** A step coprime with RECORDS, so that i * STEP mod RECORDS visits every record once, out of order. */
  private static final long STEP = 2_654_435_761L;

  @TempDir Path dir;

  /** Record 0; the others differ in their twelve digits only. */
  private static final byte[] RECORD_ZERO = String.format("record %012d %" + (RECORD_BYTES - 21) + "s\n", 0, "payload")
      .getBytes(StandardCharsets.US_ASCII);

  /** Returns record {@code i}: "record", {@code i} in twelve digits, "payload" right-aligned, a newline. */
  private static byte[] recordBytes(long i) {
    byte[] text = RECORD_ZERO.clone();
    for (int digit = 18; digit >= 7; digit--, i /= 10) {
      text[digit] = (byte) ('0' + i % 10);
    }
    return text;
  }

  private static ByteBuffer record(long i) {
    return ByteBuffer.wrap(recordBytes(i));
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)  // a hang guard: sort and gzip of a gibibyte on a busy machine
  void aGibibyteOfRecordsGoesThroughSortAndGzipIntoAFileAndBack() throws Exception {
    Path file = dir.resolve("records.gz");
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    AtomicLong peakHeap = new AtomicLong();
    Disposable sampler = Flux.interval(java.time.Duration.ofMillis(20))
        .subscribe(t -> peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max));
    long compressed;
    try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      Flux<ByteBuffer> records = Flux.range(0, (int) RECORDS)
          .map(i -> record(Math.floorMod(i * STEP, RECORDS)))
          .buffer(1024)
          .map(DataPipelineTest::join);
      compressed = records
          .transform(Command.of("sort").env("LC_ALL", "C")::pipe)
          .transform(Command.of("gzip", "-1")::pipe)
          .publishOn(Schedulers.boundedElastic(), 4)
          .map(buffer -> write(out, buffer))
          .reduce(0L, Long::sum)
          .block();
    } finally {
      sampler.dispose();
    }
    assertThat(compressed).isPositive();

    AtomicLong expected = new AtomicLong();
    long count = Command.of("gzip", "-dc", file.toString()).lines()
        .doOnNext(line -> {
          long i = expected.getAndIncrement();
          if (!line.equals(new String(recordBytes(i), 0, RECORD_BYTES - 1, StandardCharsets.US_ASCII))) {
            throw new AssertionError("line " + i + " is " + line);
          }
        })
        .count()
        .block();
    assertThat(count).isEqualTo(RECORDS);
    // The test JVM's heap is smaller than the data (-Xmx in the pom), so nothing can have been held whole.
    assertThat(Runtime.getRuntime().maxMemory()).isLessThan(RECORDS * RECORD_BYTES);
    assertThat(peakHeap.get()).as("peak heap while 1 GiB went through").isLessThan(Runtime.getRuntime().maxMemory());
  }

  private static ByteBuffer join(java.util.List<ByteBuffer> parts) {
    ByteBuffer all = ByteBuffer.allocate(parts.size() * RECORD_BYTES);
    parts.forEach(all::put);
    return all.flip();
  }

  private static long write(FileChannel out, ByteBuffer buffer) {
    try {
      long n = buffer.remaining();
      while (buffer.hasRemaining()) {
        out.write(buffer);
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

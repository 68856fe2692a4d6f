package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.LeakCheck;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs thousands of processes, 32 at a time, through every way a process can end, and counts each outcome
 * exactly; then checks that the JVM is back where it started: no descriptor beyond the baseline, no child (live
 * or zombie), no library worker thread. Also streams 256 MiB through {@code cat} and compares SHA-256 on both
 * sides (the gibibyte that outgrows the heap goes through {@code DataPipelineTest}).
 * Each test prints one summary line, which lands in the failsafe report's output file.
 */
@Tag("soak")
class SoakTest {
  private static final int PROCESSES = 4_000;
  private static final int CONCURRENCY = 32;

  /** How a process of the soak ended. */
  enum Outcome {
    SUCCESS, CALLED_PROCESS_ERROR, TIMEOUT, CANCELLED, CONSUMER_ERROR, KILLED, START_FAILURE, EXECUTE,
    /** Anything else: never planned; each one is described in the UNEXPECTED queue. */
    UNEXPECTED
  }

  /** The error a consumer throws on purpose. */
  static final class ConsumerBoom extends RuntimeException {
    ConsumerBoom(int i) {
      super("consumer failure " + i, null, false, false);
    }
  }

  /** The number of planned outcomes: all but UNEXPECTED. */
  private static final int PLANNED = Outcome.values().length - 1;

  private static final ConcurrentLinkedQueue<String> UNEXPECTED = new ConcurrentLinkedQueue<>();

  /** Returns what case {@code i} should do; the exact counts follow from {@code i % PLANNED}. */
  static Outcome planned(int i) {
    return Outcome.values()[i % PLANNED];
  }

  static Mono<Outcome> scenario(int i) {
    Outcome plan = planned(i);
    Mono<Outcome> run = switch (plan) {
      case SUCCESS -> Command.of("echo", "ok " + i).stdin(Redirect.DEVNULL).captureOutput().check().run()
          .map(done -> done.returnCode() == 0 && done.stdoutText().equals("ok " + i + "\n")
              ? Outcome.SUCCESS : unexpected(i, "result " + done));
      case CALLED_PROCESS_ERROR -> Command.shell("echo oops >&2; exit 3").stdin(Redirect.DEVNULL).captureOutput()
          .check().run()
          .map(done -> unexpected(i, "no error for exit 3"))
          .onErrorResume(CalledProcessException.class, e -> Mono.just(e.returnCode() == 3
              && "oops\n".equals(new String(e.stderr(), StandardCharsets.UTF_8))
              ? Outcome.CALLED_PROCESS_ERROR : unexpected(i, e.toString())));
      case TIMEOUT -> Command.of("sleep", "30").stdin(Redirect.DEVNULL).timeout(Duration.ofMillis(50)).run()
          .map(done -> unexpected(i, "no timeout: " + done))
          .onErrorResume(TimeoutExpiredException.class, e -> Mono.just(
              e.timeout().equals(Duration.ofMillis(50)) ? Outcome.TIMEOUT : unexpected(i, e.toString())));
      case CANCELLED -> Command.of("yes").stdin(Redirect.DEVNULL).output().take(3).count()
          .map(n -> n == 3 ? Outcome.CANCELLED : unexpected(i, n + " chunks"));
      case CONSUMER_ERROR -> Command.of("seq", "1", "1000000").stdin(Redirect.DEVNULL).lines()
          .doOnNext(line -> {
            if (line.equals("5")) {
              throw new ConsumerBoom(i);
            }
          })
          .then(Mono.fromCallable(() -> unexpected(i, "no consumer error")))
          .onErrorResume(ConsumerBoom.class, e -> Mono.just(e.getMessage().equals("consumer failure " + i)
              ? Outcome.CONSUMER_ERROR : unexpected(i, e.toString())));
      case KILLED -> Command.of("sleep", "30").stdin(Redirect.DEVNULL).start()
          .flatMap(p -> {
            p.kill();
            return p.exitCode();
          })
          .map(code -> code == -Signals.SIGKILL ? Outcome.KILLED : unexpected(i, "return code " + code));
      case START_FAILURE -> Command.of("/nonexistent/soak-" + i).stdin(Redirect.DEVNULL).run()
          .map(done -> unexpected(i, "started: " + done))
          .onErrorResume(ProcessStartException.class, e -> Mono.just("ENOENT".equals(e.errorName())
              ? Outcome.START_FAILURE : unexpected(i, e.toString())));
      case EXECUTE -> Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE)
          .execute(p -> Flux.merge(
              p.writeStdin(Mono.fromSupplier(() -> ByteBuffer.wrap(("in " + i).getBytes(StandardCharsets.UTF_8))))
                  .then(Mono.<ByteBuffer>empty()),
              p.stdout()))
          .map(b -> StandardCharsets.UTF_8.decode(b).toString())
          .collect(Collectors.joining())
          .map(s -> s.equals("in " + i) ? Outcome.EXECUTE : unexpected(i, "execute gave " + s));
      case UNEXPECTED -> Mono.just(unexpected(i, "never planned"));
    };
    return run.onErrorResume(e -> Mono.just(unexpected(i, e.toString())));
  }

  private static Outcome unexpected(int i, String what) {
    UNEXPECTED.add("case " + i + " (" + planned(i) + "): " + what);
    return Outcome.UNEXPECTED;
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void thousandsOfProcessesWithMixedOutcomesLeaveNothingBehind() {
    warmUp();
    Snapshot before = Snapshot.take();
    long t0 = System.nanoTime();
    Map<Outcome, Long> counts = Flux.range(0, PROCESSES)
        .flatMap(i -> scenario(i).switchIfEmpty(Mono.fromCallable(() -> unexpected(i, "no outcome"))),
            CONCURRENCY)
        .collect(Collectors.groupingBy(o -> o, () -> new EnumMap<>(Outcome.class), Collectors.counting()))
        .block(Duration.ofMinutes(14));
    double seconds = (System.nanoTime() - t0) / 1e9;
    Snapshot after = Snapshot.settle(before);
    long started = PROCESSES - expected(Outcome.START_FAILURE);
    System.out.printf("SOAK backend=%s processes=%d (of %d cases) seconds=%.1f rate=%.0f/s fds %d->%d children %d->%d"
            + " library-threads %d->%d outcomes=%s unexpected=%d%n",
        Engine.backendName(), started, PROCESSES, seconds, PROCESSES / seconds, before.fds, after.fds,
        before.children, after.children, before.threads, after.threads, counts, UNEXPECTED.size());
    assertThat(UNEXPECTED).as("unexpected outcomes").isEmpty();
    Map<Outcome, Long> expected = new EnumMap<>(Outcome.class);
    for (int o = 0; o < PLANNED; o++) {
      expected.put(Outcome.values()[o], expected(Outcome.values()[o]));
    }
    assertThat(counts).isEqualTo(expected);
    assertThat(started).isGreaterThanOrEqualTo(3_500);
    assertThat(after.fds).as("open descriptors, before: %s", before.fdList).isLessThanOrEqualTo(before.fds);
    assertThat(after.children).as("children").isZero();
    assertThat(after.threads).as("library worker threads").isLessThanOrEqualTo(before.threads);
  }

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void aQuarterGibibyteThroughCatKeepsItsSha256() throws Exception {
    int chunk = 64 * 1024;
    int chunks = 4 * 1024;  // 256 MiB
    MessageDigest in = MessageDigest.getInstance("SHA-256");
    MessageDigest out = MessageDigest.getInstance("SHA-256");
    AtomicLong outBytes = new AtomicLong();
    Snapshot before = Snapshot.take();
    Flux<ByteBuffer> data = Flux.range(0, chunks).map(i -> {
      ByteBuffer b = generate(i, chunk);
      in.update(b.duplicate());
      return b;
    });
    long t0 = System.nanoTime();
    long emitted = Command.of("cat").pipe(data)
        .doOnNext(b -> {
          outBytes.addAndGet(b.remaining());
          out.update(b);
        })
        .count()
        .block(Duration.ofMinutes(9));
    double seconds = (System.nanoTime() - t0) / 1e9;
    Snapshot after = Snapshot.settle(before);
    String sent = HexFormat.of().formatHex(in.digest());
    String received = HexFormat.of().formatHex(out.digest());
    System.out.printf("SOAK-GIB backend=%s bytes=%d chunks-out=%d seconds=%.1f MiB/s=%.0f sha256-in=%s"
            + " sha256-out=%s fds %d->%d children %d->%d library-threads %d->%d%n",
        Engine.backendName(), outBytes.get(), emitted, seconds, outBytes.get() / 1048576.0 / seconds, sent,
        received, before.fds, after.fds, before.children, after.children, before.threads, after.threads);
    assertThat(outBytes.get()).isEqualTo((long) chunk * chunks);
    assertThat(received).isEqualTo(sent);
    assertThat(after.fds).isLessThanOrEqualTo(before.fds);
    assertThat(after.children).isZero();
    assertThat(after.threads).isLessThanOrEqualTo(before.threads);
  }

  /** Chunk {@code i} of a deterministic stream: an xorshift sequence seeded by the chunk's number. */
  static ByteBuffer generate(int i, int size) {
    ByteBuffer b = ByteBuffer.allocate(size);
    long x = 0x9E3779B97F4A7C15L * (i + 1);
    while (b.hasRemaining()) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      b.putLong(x);
    }
    return b.flip();
  }

  private static long expected(Outcome o) {
    int n = PLANNED;
    return PROCESSES / n + (o.ordinal() < PROCESSES % n ? 1 : 0);
  }

  /** Runs each scenario once, so that lazily opened descriptors and service threads are in the baseline. */
  private static void warmUp() {
    Flux.range(0, PLANNED).concatMap(SoakTest::scenario).blockLast(Duration.ofMinutes(1));
    UNEXPECTED.clear();
  }

  /** Counts of what a test must give back: descriptors, children, library worker threads. */
  record Snapshot(int fds, int children, int threads, String fdList) {
    static Snapshot take() {
      Map<Integer, String> fds = LeakCheck.openFds();
      return new Snapshot(fds.size(), LeakCheck.children().size(), LeakCheck.libraryThreads().size(),
          fds.toString());
    }

    /** Waits (up to 20 s) until the JVM is back to {@code before}, then takes a snapshot. */
    static Snapshot settle(Snapshot before) {
      BooleanSupplier back = () -> {
        Snapshot now = take();
        return now.fds <= before.fds && now.children == 0 && now.threads <= before.threads;
      };
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!back.getAsBoolean() && System.nanoTime() < deadline) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      return take();
    }
  }
}

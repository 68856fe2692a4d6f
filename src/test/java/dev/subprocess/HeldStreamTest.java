package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.testing.Await;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/** A stream of a started process that the caller still holds keeps the process's pipes open. */
class HeldStreamTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** The stream kept, and a weak reference to the process object it came from, which is dropped. */
  private record Held(Flux<ByteBuffer> stdout, WeakReference<RunningProcess> process) {}

  /** Starts a child that writes more than a pipe holds, and keeps only its stdout (in a frame that ends here). */
  private static Held startAndKeepOnlyStdout() {
    RunningProcess p = Command.of("seq", "1", "200000").stdin(Redirect.DEVNULL).stdout(Redirect.PIPE)
        .stderr(Redirect.PIPE).start().block(WAIT);
    return new Held(p.stdout(), new WeakReference<>(p));
  }

  /** Forces full collections until an object dropped after the process object is collected. */
  private static void collectGarbage() {
    WeakReference<Object> canary = new WeakReference<>(new Object());
    Await.until("a collection has run", () -> {
      System.gc();
      return canary.get() == null;
    });
  }

  @Test
  void aHeldStdoutKeepsItsProcessReachableAndReadsWholeAfterACollection() {
    Held held = startAndKeepOnlyStdout();
    collectGarbage();
    assertThat(held.process().get()).as("the process object behind a held stream").isNotNull();
    long bytes = held.stdout().map(b -> (long) b.remaining()).reduce(0L, Long::sum).block(WAIT);
    long expected = Command.shell("seq 1 200000 | wc -c").captureOutput().run().block(WAIT).stdoutText().trim()
        .transform(Long::parseLong);
    assertThat(bytes).isEqualTo(expected);
    RunningProcess p = held.process().get();
    assertThat(p).isNotNull();
    p.stderr().then().block(WAIT);
    assertThat(p.exitCode().block(WAIT)).as("seq was not killed by SIGPIPE").isZero();
  }
}

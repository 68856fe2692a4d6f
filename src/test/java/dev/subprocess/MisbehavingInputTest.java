package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.testing.Await;
import dev.subprocess.testing.Gate;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * An input publisher that breaks the Reactive Streams rules (a {@code cancel()} that throws) cannot keep a run from
 * ending or leave the child's stdin open: the process's exit still closes every pipe and completes the run.
 */
class MisbehavingInputTest {
  @TempDir Path dir;
  private Gate subscribed;

  @BeforeEach
  void names() {
    subscribed = Gate.in(dir, "subscribed");
  }

  /** Never emits, and throws from {@code cancel()}, against rule 3.15. */
  private static Publisher<ByteBuffer> inputWhoseCancelThrows(AtomicInteger cancels, Gate subscribed) {
    return subscriber -> {
      // Opened off the subscribing thread, which may be one of the library's, where nothing may block.
      Mono.fromRunnable(subscribed::open).subscribeOn(Schedulers.boundedElastic()).subscribe();
      subscriber.onSubscribe(new Subscription() {
      @Override
      public void request(long n) {}

      @Override
      public void cancel() {
        cancels.incrementAndGet();
        throw new IllegalStateException("this publisher's cancel() throws");
      }
    });
    };
  }

  /** A child that exits as soon as its input has been subscribed to, which it learns through a FIFO gate. */
  private Command exitingOnceSubscribed() {
    return Command.of("sh", "-c", "read go < \"$1\"", "sh", subscribed.path());
  }

  @Test
  void aRunWhoseInputThrowsOnCancelStillEndsWhenTheChildExits() {
    AtomicInteger cancels = new AtomicInteger();
    StepVerifier.create(exitingOnceSubscribed().input(inputWhoseCancelThrows(cancels, subscribed)).run())
        .assertNext(done -> assertThat(done.returnCode()).isZero())
        .expectComplete()
        .verify(Duration.ofSeconds(60));
    Await.until("the input was cancelled", () -> cancels.get() >= 1);
  }

  @Test
  void aStartedProcessWhoseInputThrowsOnCancelStillClosesItsStdin() {
    AtomicInteger cancels = new AtomicInteger();
    RunningProcess p = exitingOnceSubscribed().input(inputWhoseCancelThrows(cancels, subscribed)).start().block(Duration.ofSeconds(60));
    assertThat(p.exitCode().block(Duration.ofSeconds(60))).isZero();
    Await.until("the input was cancelled", () -> cancels.get() >= 1);

  }
}

package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.RepeatedTest;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;

/**
 * A {@code request(n <= 0)} made while a chunk is being emitted is reported after that {@code onNext} returns,
 * never concurrently with it (Reactive Streams rule 1.3). The race is forced: {@code onNext} holds until the bad
 * request has returned, so the outcome is the same on every run. The subscriber is a {@link CoreSubscriber}, as
 * a Reactor operator is, so that Reactor does not wrap it in its own spec-enforcing subscriber.
 */
class BadRequestRaceTest {
  private static final long BOUND_SECONDS = 20;

  @RepeatedTest(5)
  void aBadRequestDuringOnNextIsSignalledAfterIt() throws Exception {
    RunningProcess yes = Command.of("yes").stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).start().block();
    CountDownLatch inOnNext = new CountDownLatch(1);
    CountDownLatch badRequestReturned = new CountDownLatch(1);
    CountDownLatch terminated = new CountDownLatch(1);
    AtomicBoolean emitting = new AtomicBoolean();
    AtomicReference<String> overlap = new AtomicReference<>();
    AtomicReference<Throwable> error = new AtomicReference<>();
    AtomicReference<Subscription> subscription = new AtomicReference<>();
    yes.stdout().subscribe(new CoreSubscriber<ByteBuffer>() {
      @Override
      public void onSubscribe(Subscription s) {
        subscription.set(s);
      }

      @Override
      public void onNext(ByteBuffer chunk) {
        emitting.set(true);
        inOnNext.countDown();
        try {
          badRequestReturned.await(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        emitting.set(false);
      }

      @Override
      public void onError(Throwable t) {
        if (emitting.get()) {
          overlap.set("onError(" + t + ") while onNext was running");
        }
        error.set(t);
        terminated.countDown();
      }

      @Override
      public void onComplete() {
        terminated.countDown();
      }
    });
    Thread requester = new Thread(() -> subscription.get().request(1), "test-requester");
    requester.start();
    try {
      assertThat(inOnNext.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("onNext was called").isTrue();
      subscription.get().request(0);
      badRequestReturned.countDown();
      assertThat(terminated.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("the stream was terminated").isTrue();
      assertThat(overlap.get()).isNull();
      assertThat(error.get()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3.9");
    } finally {
      badRequestReturned.countDown();
      requester.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
      yes.kill();
      yes.exitCode().block(java.time.Duration.ofSeconds(BOUND_SECONDS));
    }
  }
}

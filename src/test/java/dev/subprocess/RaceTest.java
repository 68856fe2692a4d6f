package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.LeakCheck;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.util.RaceTestUtils;

/**
 * Races the events of a process's life against each other with {@link RaceTestUtils#race}, hundreds of times
 * each: whichever wins, a subscriber sees exactly one terminal outcome, the return code is right, and the child
 * is reaped with its pipes closed before the next round.
 */
class RaceTest {
  private static final int ROUNDS = 300;

  /** The two threads of every race, made before any virtual time is installed. */
  private static Scheduler racers;

  @BeforeAll
  static void makeRacers() {
    racers = Schedulers.newParallel("race", 2);
  }

  @AfterAll
  static void disposeRacers() {
    racers.dispose();
  }

  /** Records every signal a subscriber gets, and checks that they never overlap. */
  static final class Recorder<T> extends BaseSubscriber<T> {
    final long initialRequest;
    final List<T> values = java.util.Collections.synchronizedList(new ArrayList<>());
    final ConcurrentLinkedQueue<String> terminals = new ConcurrentLinkedQueue<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();
    volatile boolean cancelled;

    Recorder(long initialRequest) {
      this.initialRequest = initialRequest;
    }

    @Override
    protected void hookOnSubscribe(Subscription s) {
      if (initialRequest > 0) {
        s.request(initialRequest);
      }
    }

    @Override
    protected void hookOnNext(T value) {
      enter();
      values.add(value);
      leave();
    }

    @Override
    protected void hookOnComplete() {
      enter();
      terminals.add("complete");
      leave();
    }

    @Override
    protected void hookOnError(Throwable t) {
      enter();
      error.set(t);
      terminals.add("error " + t);
      leave();
    }

    @Override
    protected void hookOnCancel() {
      cancelled = true;
    }

    private void enter() {
      if (inFlight.incrementAndGet() != 1) {
        overlaps.incrementAndGet();
      }
    }

    private void leave() {
      inFlight.decrementAndGet();
    }
  }

  /** Waits until this JVM has no child left, live or zombie. */
  private static void awaitNoChild() {
    Await.until("every child is reaped", () -> LeakCheck.children().isEmpty());
  }

  @Test
  void cancelAgainstExit() {
    int completed = 0;
    int cancelled = 0;
    for (int i = 0; i < ROUNDS; i++) {
      // cat exits as soon as its stdin ends: the race is between ending stdin and cancelling.
      Sinks.Many<ByteBuffer> stdin = Sinks.many().unicast().onBackpressureBuffer();
      Recorder<ByteBuffer> r = new Recorder<>(Long.MAX_VALUE);
      Command.of("cat").input(stdin.asFlux()).output().subscribe(r);
      stdin.tryEmitNext(ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)));
      Await.until("cat echoed its input", () -> !r.values.isEmpty());
      RaceTestUtils.race(racers, stdin::tryEmitComplete, r::cancel);
      awaitNoChild();
      assertThat(r.overlaps).hasValue(0);
      assertThat(r.error).hasValue(null);
      assertThat(r.terminals.size()).as("terminal signals").isLessThanOrEqualTo(1);
      assertThat(text(r.values)).isEqualTo("x");
      if (r.terminals.isEmpty()) {
        cancelled++;
      } else {
        completed++;
      }
    }
    System.out.printf("cancelAgainstExit [%s]: %d completed, %d cancelled first%n", Engine.backendName(),
        completed, cancelled);
    assertThat(completed + cancelled).isEqualTo(ROUNDS);
  }

  @Test
  void cancelAgainstExitOfRun() {
    int values = 0;
    for (int i = 0; i < ROUNDS; i++) {
      Sinks.Many<ByteBuffer> stdin = Sinks.many().unicast().onBackpressureBuffer();
      Recorder<CompletedProcess> r = new Recorder<>(1);
      Command.of("cat").input(stdin.asFlux()).stdout(Redirect.PIPE).run().subscribe(r);
      RaceTestUtils.race(racers, stdin::tryEmitComplete, r::cancel);
      awaitNoChild();
      // A cancel that lands between the Mono's onNext and its onComplete drops the onComplete (the subscriber
      // asked for that), so after a value the completion is allowed, not awaited. The completion is read first:
      // one seen here implies that its value is seen below.
      List<String> ends = List.copyOf(r.terminals);
      int got = r.values.size();
      assertThat(r.error).hasValue(null);
      assertThat(got).isLessThanOrEqualTo(1);
      assertThat(ends).isSubsetOf("complete");
      if (!ends.isEmpty()) {
        assertThat(got).isOne();
      }
      if (got == 1) {
        values++;
        assertThat(r.values.get(0).returnCode()).isZero();
      }
    }
    System.out.printf("cancelAgainstExitOfRun [%s]: %d results, %d cancelled first%n", Engine.backendName(),
        values, ROUNDS - values);
  }

  @Test
  void timeoutAgainstExit() {
    // Virtual time makes the library's timer fire exactly when a racer advances the clock.
    VirtualTimeScheduler clock = VirtualTimeScheduler.getOrSet();
    int timedOut = 0;
    int exited = 0;
    try {
      for (int i = 0; i < ROUNDS; i++) {
        Sinks.Many<ByteBuffer> stdin = Sinks.many().unicast().onBackpressureBuffer();
        Recorder<CompletedProcess> r = new Recorder<>(1);
        Command.of("cat").input(stdin.asFlux()).stdout(Redirect.PIPE).timeout(Duration.ofSeconds(10))
            .run().subscribe(r);
        Await.until("cat started", () -> LeakCheck.children().size() == 1);
        RaceTestUtils.race(racers, stdin::tryEmitComplete, () -> clock.advanceTimeBy(Duration.ofSeconds(10)));
        // The kill grace of a timed-out cat is virtual too; SIGTERM ends cat, so nothing needs to advance it.
        Await.until("the run ended", () -> !r.terminals.isEmpty());
        awaitNoChild();
        assertThat(r.overlaps).hasValue(0);
        assertThat(r.terminals).hasSize(1);
        if (r.error.get() != null) {
          assertThat(r.error.get()).isInstanceOf(TimeoutExpiredException.class)
              .hasMessageContaining("[cat]");
          assertThat(r.values).isEmpty();
          timedOut++;
        } else {
          assertThat(r.values).hasSize(1);
          assertThat(r.values.get(0).returnCode()).isZero();
          exited++;
        }
      }
    } finally {
      VirtualTimeScheduler.reset();
    }
    System.out.printf("timeoutAgainstExit [%s]: %d timed out, %d exited first%n", Engine.backendName(),
        timedOut, exited);
    assertThat(timedOut + exited).isEqualTo(ROUNDS);
  }

  @Test
  void killAgainstExitCodeSubscription() {
    for (int i = 0; i < ROUNDS; i++) {
      RunningProcess p = Command.of("sleep", "30").stdin(Redirect.DEVNULL).start().block(Duration.ofSeconds(20));
      Recorder<Integer> r = new Recorder<>(Long.MAX_VALUE);
      RaceTestUtils.race(racers, p::kill, () -> p.exitCode().subscribe(r));
      Await.until("the exit code arrived", () -> !r.terminals.isEmpty());
      assertThat(r.values).containsExactly(-Signals.SIGKILL);
      assertThat(r.terminals).containsExactly("complete");
      assertThat(p.poll()).hasValue(-Signals.SIGKILL);
      // A second subscriber after the exit sees the same code at once.
      assertThat(p.exitCode().block(Duration.ofSeconds(20))).isEqualTo(-Signals.SIGKILL);
      awaitNoChild();
    }
  }

  @Test
  void twoThreadsRequestConcurrentlyOnOutput() {
    byte[] expected = seq(3000);
    for (int i = 0; i < ROUNDS; i++) {
      Recorder<ByteBuffer> r = new Recorder<>(0);
      Command.of("seq", "1", "3000").stdin(Redirect.DEVNULL).output().subscribe(r);
      Runnable requestOneByOne = () -> {
        for (int k = 0; k < 8; k++) {
          r.request(1);
        }
      };
      RaceTestUtils.race(racers, requestOneByOne, requestOneByOne);
      // Demand is real: never more chunks than requested, whatever the interleaving.
      assertThat(r.values.size()).isLessThanOrEqualTo(16);
      r.request(Long.MAX_VALUE);
      Await.until("the output ended", () -> !r.terminals.isEmpty());
      assertThat(r.overlaps).hasValue(0);
      assertThat(r.terminals).containsExactly("complete");
      assertThat(bytes(r.values)).isEqualTo(expected);
      awaitNoChild();
    }
  }

  @Test
  void twoThreadsRequestConcurrentlyOnLines() {
    for (int i = 0; i < ROUNDS / 3; i++) {
      Recorder<String> r = new Recorder<>(0);
      Command.of("seq", "1", "500").stdin(Redirect.DEVNULL).lines().subscribe(r);
      Runnable requestOneByOne = () -> {
        for (int k = 0; k < 50; k++) {
          r.request(1);
        }
      };
      RaceTestUtils.race(racers, requestOneByOne, requestOneByOne);
      Await.until("100 lines arrived", () -> r.values.size() == 100);
      assertThat(r.terminals).isEmpty();
      r.request(Long.MAX_VALUE);
      Await.until("the lines ended", () -> !r.terminals.isEmpty());
      assertThat(r.overlaps).hasValue(0);
      assertThat(r.terminals).containsExactly("complete");
      assertThat(r.values).hasSize(500).startsWith("1", "2").endsWith("500");
      awaitNoChild();
    }
  }

  private static byte[] seq(int n) {
    StringBuilder s = new StringBuilder();
    for (int i = 1; i <= n; i++) {
      s.append(i).append('\n');
    }
    return s.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] bytes(List<ByteBuffer> chunks) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    synchronized (chunks) {
      for (ByteBuffer b : chunks) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        out.writeBytes(a);
      }
    }
    return out.toByteArray();
  }

  private static String text(List<ByteBuffer> chunks) {
    return new String(bytes(chunks), StandardCharsets.UTF_8);
  }
}

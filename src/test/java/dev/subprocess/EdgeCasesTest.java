package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.testing.Await;
import dev.subprocess.testing.LeakCheck;
import java.lang.ref.WeakReference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Ownership, timing and pipeline edge cases of started, executed and piped processes. */
class EdgeCasesTest {

  @TempDir Path dir;

  private static String text(ByteBuffer b) {
    return StandardCharsets.UTF_8.decode(b).toString();
  }

  private static long pipes() {
    return LeakCheck.openFds().values().stream().filter(t -> t.startsWith("pipe:")).count();
  }

  /** Forces collections until {@code ref} is cleared, then waits until the pipe count falls below {@code had}. */
  private static void collectAndAwaitCleaner(WeakReference<?> ref, long had) {
    Await.until("the RunningProcess is collected", () -> {
      System.gc();
      return ref.get() == null;
    });
    Await.until("the Cleaner has run (a pipe of the process was closed)", () -> {
      System.gc();
      return pipes() < had;
    });
  }

  @Test
  void theStdoutOfAStartedProcessSurvivesTheCollectionOfItsRunningProcess() throws Exception {
    Path gate = dir.resolve("gate");
    AtomicReference<WeakReference<RunningProcess>> ref = new AtomicReference<>();
    Flux<String> stdout = Command.shell("echo first; while [ ! -e " + gate + " ]; do sleep 0.01; done; echo second")
        .stdin(Redirect.DEVNULL)
        .stdout(Redirect.PIPE)
        .stderr(Redirect.PIPE)
        .start()
        .doOnNext(p -> ref.set(new WeakReference<>(p)))
        .flatMapMany(RunningProcess::stdout)
        .map(EdgeCasesTest::text);
    StepVerifier.create(stdout, 1)
        .expectNext("first\n")
        .then(() -> collectAndAwaitCleaner(ref.get(), pipes()))
        .then(() -> {
          try {
            Files.createFile(gate);
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        })
        .thenRequest(Long.MAX_VALUE)
        .expectNext("second\n")
        .expectComplete()
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void aStartedProcessIsStoppedAtItsTimeoutEvenWhenTheRunningProcessIsCollected() {
    // On virtual time the timeout fires only once the RunningProcess has been collected, however slow that is.
    reactor.test.scheduler.VirtualTimeScheduler clock = reactor.test.scheduler.VirtualTimeScheduler.getOrSet();
    try {
      AtomicReference<WeakReference<RunningProcess>> ref = new AtomicReference<>();
      long before = pipes();
      Mono<Integer> exit = Command.of("sleep", "30")
          .stdin(Redirect.DEVNULL)
          .stdout(Redirect.PIPE)
          .timeout(Duration.ofSeconds(3))
          .start()
          .doOnNext(p -> ref.set(new WeakReference<>(p)))
          .flatMap(RunningProcess::exitCode);
      CompletableFuture<Integer> code = exit.toFuture();
      Await.until("sleep started", () -> ref.get() != null);
      collectAndAwaitCleaner(ref.get(), before + 1);
      assertThat(code).isNotDone();
      clock.advanceTimeBy(Duration.ofSeconds(3));
      assertThat(code.orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join()).isEqualTo(-Signals.SIGTERM);
    } finally {
      reactor.test.scheduler.VirtualTimeScheduler.reset();
    }
  }

  @Test
  void writeStdinCompletesOnlyOnceItsBytesAreInThePipe() throws Exception {
    int size = 1 << 20;
    RunningProcess cat = Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE).start().block();
    AtomicLong received = new AtomicLong();
    // stdout is subscribed first: a stdout still unread when stdin is written would be held for its subscriber.
    CompletableFuture<Long> total = cat.stdout()
        .map(b -> (long) b.remaining())
        .doOnNext(received::addAndGet)
        .reduce(0L, Long::sum)
        .toFuture();
    CompletableFuture<Long> receivedWhenWritten = cat.writeStdin(Mono.just(ByteBuffer.wrap(new byte[size])))
        .then(Mono.fromCallable(received::get))
        .toFuture();
    assertThat(total.get(20, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(size);
    assertThat(cat.exitCode().block(Duration.ofSeconds(20))).isZero();
    // At most two pipes and cat's buffer can hold bytes that cat has not passed on: far less than half a MiB.
    assertThat(receivedWhenWritten.get()).as("stdout bytes received when writeStdin completed")
        .isGreaterThan(size / 2);
  }

  @Test
  void aPipelineWhoseLaterStageCannotOpenItsRedirectLeaksNoPipe() {
    long before = pipes();
    StepVerifier.create(Pipeline.of(
                Command.of("true").stdin(Redirect.DEVNULL),
                Command.of("cat").stderr(Redirect.to(dir.resolve("no-such-dir").resolve("err.txt"))))
            .run())
        .expectError(ProcessStartException.class)
        .verify(Duration.ofSeconds(20));
    Await.until("the pipe between the stages is closed (had " + before + " pipes, now " + pipes() + ")",
        () -> pipes() <= before);
  }

  @Test
  void anExecuteBodyThatSubscribesToAStreamAfterAnotherStepGetsWhatWasHeldForIt() {
    // Whether stdout is subscribed before or after cat has written it, the body gets every byte: writing stdin
    // holds the unread stdout for its later subscriber.
    reactor.core.publisher.Sinks.One<ByteBuffer> input = reactor.core.publisher.Sinks.one();
    StepVerifier.create(Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE)
            .execute(p -> p.writeStdin(input.asMono()).thenMany(p.stdout()).map(EdgeCasesTest::text)))
        .expectSubscription()
        .then(() -> input.tryEmitValue(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.UTF_8))))
        .expectNext("hello\n")
        .expectComplete()
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void anExecuteBodyThatWritesAndReadsAtOnceGetsItsOutput() {
    StepVerifier.create(Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE)
            .execute(p -> Flux.merge(p.writeStdin(Mono.just(ByteBuffer.wrap("hello\n".getBytes()))).then(Mono.empty()),
                p.stdout().map(EdgeCasesTest::text))))
        .expectNext("hello\n")
        .expectComplete()
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void executeFailsWithTimeoutExpiredWhenTheCommandTimesOut() {
    StepVerifier.create(Command.of("sleep", "60").stdin(Redirect.DEVNULL).timeout(Duration.ofMillis(200))
            .execute(RunningProcess::exitCode))
        .expectError(TimeoutExpiredException.class)
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void communicateFailsWithTimeoutExpiredWhenTheCommandTimesOut() {
    StepVerifier.create(Command.of("sleep", "60").stdin(Redirect.DEVNULL).timeout(Duration.ofMillis(200))
            .start().flatMap(RunningProcess::communicate))
        .expectError(TimeoutExpiredException.class)
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void anEarlierStageFailingForItsOwnReasonStillFailsThePipeline() {
    StepVerifier.create(Command.shell("seq 1 5; exit 3").stdin(Redirect.DEVNULL).pipeTo(Command.of("cat")).lines())
        .expectNext("1", "2", "3", "4", "5")
        .expectError(CalledProcessException.class)
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void cancellingRightAfterSubscribingLeavesNoProcess() {
    for (int i = 0; i < 200; i++) {
      reactor.core.Disposable d = Command.of("sleep", "60").stdin(Redirect.DEVNULL).run().subscribe(x -> { }, e -> { });
      for (int spin = 0; spin < (i % 20) * 500; spin++) {
        Thread.onSpinWait();
      }
      d.dispose();
      reactor.core.Disposable o = Command.of("sleep", "60").stdin(Redirect.DEVNULL).output()
          .subscribe(x -> { }, e -> { });
      for (int spin = 0; spin < (i % 20) * 500; spin++) {
        Thread.onSpinWait();
      }
      o.dispose();
    }
  }

  @Test
  void anUpstreamStageEndedBySigpipeDoesNotFailTheLines() {
    StepVerifier.create(Command.of("seq", "1", "200000").stdin(Redirect.DEVNULL)
            .pipeTo(Command.of("head", "-n", "2")).lines())
        .expectNext("1", "2")
        .expectComplete()
        .verify(Duration.ofSeconds(20));
  }
}

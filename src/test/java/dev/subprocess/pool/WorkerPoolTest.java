package dev.subprocess.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subprocess.Command;
import dev.subprocess.ProcessStartException;
import dev.subprocess.TimeoutExpiredException;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.LeakCheck;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/** Pools of real worker processes: answers, order, backpressure, timeouts, crashes, recycling and close. */
class WorkerPoolTest {
  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir Path dir;

  private static <T> T await(Mono<T> mono) {
    return mono.block(BOUND);
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  @Test
  void sedWorkersAnswerEachRequest() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.sed(), Framing.lines()).maxWorkers(2).build()) {
      assertThat(await(pool.submit("a"))).isEqualTo("ok:a");
      assertThat(await(pool.submit("héllo wörld"))).isEqualTo("ok:héllo wörld");
      assertThat(await(pool.submit(""))).isEqualTo("ok:");
      assertThat(pool.metrics().served()).isEqualTo(3);
      assertThat(pool.metrics().alive()).isBetween(1, 2);
    }
  }

  @Test
  void aShellReadEvalLoopKeepsItsProcessAcrossRequests() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), Framing.lines()).maxWorkers(1).build()) {
      String pid = await(pool.submit("pid"));
      assertThat(await(pool.submit("6 * 7"))).isEqualTo("42");
      assertThat(await(pool.submit("pid"))).isEqualTo(pid);
      assertThat(pool.metrics().replaced()).isZero();
    }
  }

  @Test
  void anAwkLoopAnswersLineByLine() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.awk(), Framing.lines()).maxWorkers(2).build()) {
      List<String> products = pool.map(Flux.range(1, 20).map(i -> i + " " + i)).collectList().block(BOUND);
      assertThat(products).isEqualTo(IntStream.rangeClosed(1, 20).mapToObj(i -> String.valueOf(i * i)).toList());
    }
  }

  @Test
  void mapEmitsTheAnswersInRequestOrderWhateverOrderTheyArriveIn() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), Framing.lines()).maxWorkers(3).build()) {
      List<String> requests = List.of("sleep 0.4", "sleep 0", "sleep 0.2", "sleep 0", "sleep 0.3", "sleep 0.1");
      List<String> ordered = pool.map(Flux.fromIterable(requests)).collectList().block(BOUND);
      assertThat(ordered).isEqualTo(requests.stream().map(r -> "slept " + r.substring(6)).toList());
      List<String> unordered = pool.mapUnordered(Flux.fromIterable(requests)).collectList().block(BOUND);
      assertThat(unordered).containsExactlyInAnyOrderElementsOf(ordered);
      assertThat(pool.metrics().served()).isEqualTo(12);
    }
  }

  @Test
  void aSlowConsumerStopsTheSubmissions() {
    AtomicInteger pulled = new AtomicInteger();
    Flux<String> requests = Flux.range(0, 10_000).map(i -> "say " + i).doOnNext(r -> pulled.incrementAndGet());
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), Framing.lines())
        .maxWorkers(2).pendingLimit(4).build()) {
      StepVerifier.create(pool.map(requests), 0)
          .thenRequest(3)
          .expectNext("0", "1", "2")
          .then(() -> Await.until("the pool is idle with nothing pending", () -> {
            PoolMetrics m = pool.metrics();
            return m.busy() == 0 && m.pending() == 0 && m.served() == pulled.get();
          }))
          .then(() -> assertThat(pulled.get()).as("requests taken with 3 consumed and 2 workers")
              .isLessThanOrEqualTo(3 + 2))
          .thenRequest(5)
          .expectNext("3", "4", "5", "6", "7")
          .thenCancel()
          .verify(BOUND);
    }
    assertThat(pulled.get()).isLessThan(100);
  }

  @Test
  void requestsBeyondThePendingLimitAreRefusedClearly() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), Framing.lines())
        .maxWorkers(1).pendingLimit(1).closeGrace(Duration.ZERO).build()) {
      CompletableFuture<String> hanging = pool.submit("hang").toFuture();
      Await.until("the worker is busy", () -> pool.metrics().busy() == 1);
      CompletableFuture<String> waiting = pool.submit("1 + 1").toFuture();
      Await.until("a request is pending", () -> pool.metrics().pending() == 1);
      assertThatThrownBy(() -> pool.submit("2 + 2").block(BOUND))
          .isInstanceOf(RejectedExecutionException.class)
          .hasMessageContaining("1 requests already wait for one of its 1 workers (the pending limit)")
          .hasMessageContaining("/bin/sh");
      pool.close();
      assertThat(hanging).isCompletedExceptionally();
      assertThat(waiting).isCompletedExceptionally();
    }
  }

  @Test
  void aRequestThatTimesOutStopsAndReplacesItsWorkerOnly() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), Framing.lines())
        .maxWorkers(2).requestTimeout(Duration.ofSeconds(5)).build()) {
      long first = Long.parseLong(await(pool.submit("pid")));
      CompletableFuture<String> slow = pool.submit("sleep 0.1").toFuture();
      assertThatThrownBy(() -> pool.submit("hang").block(BOUND))
          .isInstanceOf(TimeoutExpiredException.class)
          .hasMessageContaining("did not answer a request in time")
          .hasMessageContaining("timed out after 5 seconds");
      assertThat(slow.join()).isEqualTo("slept 0.1");
      Await.until("the worker that timed out was replaced", () -> pool.metrics().replaced() == 1);
      assertThat(await(pool.submit("3 + 4"))).isEqualTo("7");
      List<String> pids = pool.map(Flux.just("pid", "pid", "pid")).collectList().block(BOUND);
      assertThat(pids).allSatisfy(pid -> assertThat(alive(Long.parseLong(pid))).isTrue());
      assertThat(first).isPositive();
    }
  }

  @Test
  void aWorkerThatCrashesFailsOnlyItsRequestAndIsReplaced() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), Framing.lines()).maxWorkers(2).build()) {
      long pid = Long.parseLong(await(pool.submit("pid")));
      CompletableFuture<String> other = pool.submit("sleep 0.2").toFuture();
      WorkerException crash = (WorkerException) org.assertj.core.api.Assertions.catchThrowable(
          () -> pool.submit("crash").block(BOUND));
      assertThat(crash).isNotNull();
      assertThat(crash.returnCode()).hasValue(3);
      assertThat(crash.pid()).isPositive();
      assertThat(new String(crash.stderr(), StandardCharsets.UTF_8)).contains("crashing on request: crash");
      assertThat(crash.getMessage())
          .contains("Worker process " + crash.pid() + " of [/bin/sh, -c,")
          .contains("while answering a request (it exited with status 3)")
          .contains("working directory: ")
          .contains("crashing on request: crash");
      assertThat(other.join()).isEqualTo("slept 0.2");
      Await.until("the crashed worker was replaced", () -> pool.metrics().replaced() == 1);
      assertThat(alive(crash.pid())).isFalse();
      assertThat(await(pool.submit("1 + 2"))).isEqualTo("3");
      assertThat(pid).isPositive();
    }
  }

  @Test
  void aCommandWhoseWorkersExitAtOnceFailsTheSubmissionsInsteadOfRespawningForever() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.exitsAtOnce(), Framing.lines())
        .maxWorkers(2).startFailureLimit(3).restartDelay(Duration.ofHours(1)).build()) {
      for (int i = 0; i < 3; i++) {
        assertThatThrownBy(() -> pool.submit("hello").block(BOUND))
            .isInstanceOf(WorkerException.class)
            .hasMessageContaining("exited with status 2")
            .hasMessageContaining("cannot load the model");
      }
      Await.until("the three dead workers are gone", () -> pool.metrics().alive() == 0);
      long replaced = pool.metrics().replaced();
      for (int i = 0; i < 5; i++) {
        assertThatThrownBy(() -> pool.submit("hello").block(BOUND))
            .isInstanceOf(WorkerException.class)
            .hasMessageContaining("died before answering any request, as did the 2 workers started before it")
            .hasMessageContaining("exited with status 2")
            .hasMessageContaining("cannot load the model");
      }
      assertThat(pool.metrics().alive()).isZero();
      assertThat(pool.metrics().replaced()).isEqualTo(replaced);
    }
  }

  @Test
  void aMissingProgramFailsTheRequestWithTheStartError() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Command.of("/no/such/worker"), Framing.lines())
        .build()) {
      assertThatThrownBy(() -> pool.submit("x").block(BOUND))
          .isInstanceOf(ProcessStartException.class)
          .hasMessageContaining("/no/such/worker");
    }
  }

  @Test
  void aWorkerIsReplacedAfterMaxRequestsPerWorker() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), Framing.lines())
        .maxWorkers(1).maxRequestsPerWorker(2).build()) {
      List<String> pids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        pids.add(await(pool.submit("pid")));
      }
      assertThat(pids.get(0)).isEqualTo(pids.get(1));
      assertThat(pids.get(2)).isEqualTo(pids.get(3)).isNotEqualTo(pids.get(1));
      assertThat(pids.get(4)).isEqualTo(pids.get(5)).isNotEqualTo(pids.get(3));
      Await.until("the recycled workers are counted", () -> pool.metrics().replaced() >= 2);
    }
  }

  @Test
  void closeLetsTheRequestsInFlightFinishAndRefusesNewOnes() throws Exception {
    Path go = dir.resolve("go");
    WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), Framing.lines())
        .maxWorkers(2).closeGrace(Duration.ofSeconds(60)).build();
    List<Long> pids = pool.map(Flux.just("pid", "pid")).map(Long::parseLong).collectList().block(BOUND);
    CompletableFuture<String> inFlight = pool.submit(Workers.waitFor(go)).toFuture();
    Await.until("the request is in flight", () -> pool.metrics().busy() == 1);
    CompletableFuture<Void> closed = pool.closeLater().toFuture();
    assertThat(pool.isClosed()).isTrue();
    assertThatThrownBy(() -> pool.submit("1").block(BOUND))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
    assertThat(closed).isNotDone();
    Files.createFile(go);
    assertThat(inFlight.get(30, TimeUnit.SECONDS)).isEqualTo("waited");
    closed.get(30, TimeUnit.SECONDS);
    assertThat(pids).allSatisfy(pid -> assertThat(alive(pid)).isFalse());
    assertThat(pool.metrics().alive()).isZero();
    pool.close();
  }

  @Test
  void closeStopsARequestThatOutlivesTheGrace() {
    WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), Framing.lines())
        .maxWorkers(1).closeGrace(Duration.ofMillis(200)).build();
    CompletableFuture<String> hanging = pool.submit("hang").toFuture();
    Await.until("the request is in flight", () -> pool.metrics().busy() == 1);
    pool.close();
    assertThat(hanging).isCompletedExceptionally();
    assertThatThrownBy(hanging::join).hasCauseInstanceOf(WorkerException.class)
        .hasMessageContaining("the pool closed and the request was not answered within the close grace of 200 ms");
    assertThat(pool.metrics().alive()).isZero();
  }

  @Test
  void closeFailsTheRequestsStillWaitingForAWorker() throws Exception {
    Path go = dir.resolve("go");
    WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), Framing.lines())
        .maxWorkers(1).closeGrace(Duration.ofSeconds(60)).build();
    CompletableFuture<String> inFlight = pool.submit(Workers.waitFor(go)).toFuture();
    Await.until("the request is in flight", () -> pool.metrics().busy() == 1);
    CompletableFuture<String> waiting = pool.submit("say late").toFuture();
    Await.until("the second request waits for the worker", () -> pool.metrics().pending() == 1);
    CompletableFuture<Void> closed = pool.closeLater().toFuture();
    Files.createFile(go);
    assertThat(inFlight.get(30, TimeUnit.SECONDS)).isEqualTo("waited");
    assertThatThrownBy(() -> waiting.get(30, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
    closed.get(30, TimeUnit.SECONDS);
    assertThat(pool.metrics().alive()).isZero();
    pool.close();
  }

  @Test
  void startWarmsUpTheMinimumWorkersEagerly() {
    WorkerPool<String, String> pool = WorkerPool.builder(Workers.sed(), Framing.lines())
        .minWorkers(2).maxWorkers(3).start().block(BOUND);
    try {
      assertThat(pool.metrics().alive()).isEqualTo(2);
      assertThat(pool.metrics().idle()).isEqualTo(2);
      assertThat(pool.metrics().served()).isZero();
    } finally {
      pool.close();
    }
  }

  @Test
  void aLazyPoolStartsNoWorkerBeforeItsFirstRequest() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.sed(), Framing.lines())
        .minWorkers(1).maxWorkers(2).build()) {
      assertThat(pool.metrics().alive()).isZero();
      assertThat(await(pool.submit("x"))).isEqualTo("ok:x");
      assertThat(pool.metrics().alive()).isPositive();
    }
  }

  @Test
  void idleWorkersAreEvicted() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), Framing.lines())
        .maxWorkers(2).idleTimeout(Duration.ofMillis(100)).build()) {
      long pid = Long.parseLong(await(pool.submit("pid")));
      Await.until("the idle worker is evicted", () -> pool.metrics().alive() == 0);
      Await.until("the idle worker has exited", () -> !alive(pid));
      assertThat(pool.metrics().replaced()).isZero();
      assertThat(await(pool.submit("2 + 2"))).isEqualTo("4");
    }
  }

  @Test
  void aWorkerThatFailsItsHealthCheckIsReplacedBeforeItTakesTheRequest() {
    AtomicInteger checks = new AtomicInteger();
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), Framing.lines())
        .maxWorkers(1)
        .healthCheck(worker -> {
          checks.incrementAndGet();
          return worker.send("say alive").map(answer -> answer.equals("alive") && worker.requestsServed() < 2);
        }, Duration.ZERO)
        .build()) {
      List<String> pids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        pids.add(await(pool.submit("pid")));
      }
      // The checks are not counted as requests served: a worker passes its first two checks, fails the third.
      assertThat(pids.get(0)).isEqualTo(pids.get(1));
      assertThat(pids.get(2)).isNotEqualTo(pids.get(1));
      assertThat(checks.get()).isEqualTo(4);
      Await.until("the unhealthy worker was replaced", () -> pool.metrics().replaced() == 1);
    }
  }

  @Test
  void healthChecksDoNotCountTowardMaxRequestsPerWorker() {
    AtomicInteger checks = new AtomicInteger();
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), Framing.lines())
        .maxWorkers(1)
        .maxRequestsPerWorker(2)
        .healthCheck(worker -> {
          checks.incrementAndGet();
          return worker.send("say alive").map("alive"::equals);
        }, Duration.ZERO)
        .build()) {
      List<String> pids = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        pids.add(await(pool.submit("pid")));
      }
      // Each request was checked first, yet each worker answers two requests before it is recycled.
      assertThat(checks.get()).isEqualTo(4);
      assertThat(pids.get(0)).isEqualTo(pids.get(1));
      assertThat(pids.get(2)).isEqualTo(pids.get(3)).isNotEqualTo(pids.get(1));
      Await.until("both recycled workers are counted", () -> pool.metrics().replaced() == 2);
    }
  }

  @Test
  void envFromContextDoesNotReachTheWorkers() {
    // A worker outlives the request that started it and answers other subscribers' requests: the pool starts it
    // outside any subscriber's Context, and says so, rather than hand one request's value to all the others.
    Command traced = Command.shell("while IFS= read -r line; do echo \"${TRACE_ID-unset} ${FIXED-unset}\"; done")
        .env("FIXED", "for-every-worker")
        .envFromContext("TRACE_ID", "traceId");
    WorkerPool<String, String> pool = WorkerPool.builder(traced, Framing.lines()).minWorkers(1).maxWorkers(2).start()
        .contextWrite(Context.of("traceId", "from-start"))
        .block(BOUND);
    try {
      assertThat(await(pool.submit("x").contextWrite(Context.of("traceId", "from-request"))))
          .isEqualTo("unset for-every-worker");
      List<String> two = pool.mapUnordered(Flux.just("a", "b")).contextWrite(Context.of("traceId", "from-map"))
          .collectList().block(BOUND);
      assertThat(two).containsOnly("unset for-every-worker");
    } finally {
      pool.close();
    }
  }

  @Test
  void cancellingARequestDuringItsHealthCheckGivesTheWorkerBack() throws Exception {
    CountDownLatch checking = new CountDownLatch(1);
    AtomicInteger checks = new AtomicInteger();
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), Framing.lines())
        .maxWorkers(1)
        .healthCheck(worker -> {
          if (checks.incrementAndGet() == 1) {
            checking.countDown();
            return Mono.never();
          }
          return Mono.just(true);
        }, Duration.ZERO)
        .build()) {
      Disposable first = pool.submit("say first").subscribe();
      assertThat(checking.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
      first.dispose();
      // The only worker must not stay borrowed by the cancelled request.
      assertThat(await(pool.submit("say second"))).isEqualTo("second");
      Await.until("no worker is borrowed", () -> pool.metrics().busy() == 0);
    }
  }

  @Test
  void aWorkerStillStartingWhenThePoolClosesIsStoppedTakesNoRequestAndTheCloseWaitsForIt() throws Exception {
    CountDownLatch starting = new CountDownLatch(1);
    CountDownLatch proceed = new CountDownLatch(1);
    AtomicInteger decoders = new AtomicInteger();
    Framing<String, String> lines = Framing.lines();
    // The pool makes a decoder once to check the framing, then once for each worker as it starts it.
    Framing<String, String> heldAtStart = new Framing<>() {
      @Override
      public ByteBuffer encode(String request, Charset charset) {
        return lines.encode(request, charset);
      }

      @Override
      public Framing.Decoder<String> newDecoder(Charset charset) {
        if (decoders.incrementAndGet() == 2) {
          starting.countDown();
          try {
            proceed.await(BOUND.toSeconds(), TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return lines.newDecoder(charset);
      }
    };
    WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), heldAtStart).maxWorkers(1).build();
    CompletableFuture<String> answer = pool.submit("say late").subscribeOn(Schedulers.boundedElastic()).toFuture();
    assertThat(starting.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> closed = pool.closeLater().toFuture();
    // The worker is held in its start, so the close cannot be done yet: it waits for that worker to be gone.
    assertThat(closed).isNotDone();
    proceed.countDown();
    closed.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertThat(LeakCheck.children()).isEmpty();
    assertThatThrownBy(() -> answer.get(BOUND.toSeconds(), TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void lengthPrefixedFramesRoundTripThroughCat() {
    byte[] big = new byte[1 << 20];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    try (WorkerPool<byte[], byte[]> pool = WorkerPool.builder(Command.of("cat"), Framing.lengthPrefixed())
        .maxWorkers(2).build()) {
      assertThat(await(pool.submit(new byte[0]))).isEmpty();
      assertThat(await(pool.submit("abc".getBytes(StandardCharsets.UTF_8)))).isEqualTo(new byte[] {'a', 'b', 'c'});
      assertThat(await(pool.submit(big))).isEqualTo(big);
      List<byte[]> many = pool.map(Flux.range(0, 50).map(i -> new byte[i])).collectList().block(BOUND);
      assertThat(many.stream().map(b -> b.length).collect(Collectors.toList()))
          .isEqualTo(IntStream.range(0, 50).boxed().toList());
    }
  }

  @Test
  void aWorkerThatEndsMidFrameFailsItsRequest() {
    Command half = Command.shell("head -c 6 >/dev/null; printf '\\000\\000\\000\\012abc'; exit 0");
    try (WorkerPool<byte[], byte[]> pool = WorkerPool.builder(half, Framing.lengthPrefixed()).build()) {
      assertThatThrownBy(() -> pool.submit(new byte[] {1, 2}).block(BOUND))
          .isInstanceOf(WorkerException.class)
          .hasMessageContaining("closed its stdout in the middle of a response while answering a request")
          .hasMessageContaining("exited with status 0");
    }
  }

  @Test
  void theLineFramingRefusesARequestWithALineBreakBeforeAnyWorkerStarts() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.sed(), Framing.lines()).build()) {
      assertThatThrownBy(() -> pool.submit("two\nlines").block(BOUND))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("line break at index 3");
      assertThat(pool.metrics().alive()).isZero();
    }
  }

  @Test
  void aWorkerWritingALineLongerThanTheLimitFailsItsRequestAndIsRetired() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.flooder(), Framing.lines()).maxWorkers(1)
        .maxLineLength(1000).build()) {
      long first = Long.parseLong(await(pool.submit("pid")));
      assertThat(await(pool.submit("say " + "x".repeat(1000)))).as("a line of exactly the limit").hasSize(1000);
      assertThatThrownBy(() -> pool.submit("say " + "x".repeat(1001)).block(BOUND))
          .isInstanceOf(WorkerException.class)
          .hasMessageContaining("Worker process " + first + " of [/bin/sh, -c")
          .hasMessageContaining("a line longer than 1000 bytes")
          .hasMessageContaining("maxLineLength");
      Await.until("the worker that broke the limit is gone", () -> !alive(first));
      long second = Long.parseLong(await(pool.submit("pid")));
      assertThat(second).isNotEqualTo(first);
      assertThat(pool.metrics().replaced()).isEqualTo(1);
    }
  }

  @Test
  void aLineOfExactlyTheLimitEndedByCrLfIsAnswered() {
    Command crlf = Command.shell("while IFS= read -r line; do printf '%s\\r\\n' \"$line\"; done");
    try (WorkerPool<String, String> pool = WorkerPool.builder(crlf, Framing.lines()).maxWorkers(1)
        .maxLineLength(1000).build()) {
      assertThat(await(pool.submit("x".repeat(1000)))).as("a line of exactly the limit, then \\r\\n")
          .isEqualTo("x".repeat(1000));
      assertThatThrownBy(() -> pool.submit("x".repeat(1001)).block(BOUND))
          .isInstanceOf(WorkerException.class)
          .hasMessageContaining("a line longer than 1000 bytes");
    }
  }

  @Test
  void theLineLimitCountsNeitherTheNewlineNorTheCarriageReturnBeforeItWhereverTheChunksEnd() {
    List<String> lines = new ArrayList<>();
    Framing.Decoder<String> decoder = LineFraming.INSTANCE.newDecoder(StandardCharsets.UTF_8, 4);
    decoder.decode(ascii("abcd\r"), lines::add);
    decoder.decode(ascii("\nwxyz"), lines::add);
    decoder.decode(ascii("\r"), lines::add);
    decoder.decode(ascii("\n"), lines::add);
    assertThat(lines).containsExactly("abcd", "wxyz");
    assertThat(decoder.hasPartial()).isFalse();
    Framing.Decoder<String> longer = LineFraming.INSTANCE.newDecoder(StandardCharsets.UTF_8, 4);
    longer.decode(ascii("abcd\r"), lines::add);
    assertThatThrownBy(() -> longer.decode(ascii("e\n"), lines::add))
        .as("a carriage return inside the line counts").isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("a line longer than 4 bytes");
    Framing.Decoder<String> carriageReturns = LineFraming.INSTANCE.newDecoder(StandardCharsets.UTF_8, 4);
    assertThatThrownBy(() -> carriageReturns.decode(ascii("abcd\r\r\n"), lines::add))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("a line longer than 4 bytes");
  }

  private static ByteBuffer ascii(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void anEndlessLineIsCutOffAtTheDefaultLimitOfOneMebibyte() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.flooder(), Framing.lines()).maxWorkers(1)
        .build()) {
      long pid = Long.parseLong(await(pool.submit("pid")));
      assertThatThrownBy(() -> pool.submit("flood").block(BOUND))
          .isInstanceOf(WorkerException.class)
          .hasMessageContaining("Worker process " + pid)
          .hasMessageContaining("a line longer than 1048576 bytes");
      Await.until("the flooding worker is gone", () -> !alive(pid));
    }
  }

  @Test
  void aRequestQueuedBehindAWorkerThatBreaksTheLineLimitIsAnsweredByItsReplacement() throws Exception {
    Path gate = dir.resolve("gate");
    assertThat(Command.of("mkfifo", gate.toString()).run().block(BOUND).returnCode()).isZero();
    // "hold" floods only once a line is written into the FIFO: the next request queues meanwhile.
    Command worker = Command.shell("while IFS= read -r line; do\n"
        + "  case $line in\n"
        + "    pid) echo $$ ;;\n"
        + "    hold) read -r go < \"$0\"; exec cat /dev/zero ;;\n"
        + "  esac\n"
        + "done", gate.toString());
    try (WorkerPool<String, String> pool = WorkerPool.builder(worker, Framing.lines()).maxWorkers(1)
        .maxLineLength(1000).build()) {
      long first = Long.parseLong(await(pool.submit("pid")));
      CompletableFuture<String> held = pool.submit("hold").toFuture();
      Await.until("the held request is in flight", () -> pool.metrics().busy() == 1);
      CompletableFuture<String> queued = pool.submit("pid").toFuture();
      Await.until("the next request waits for the worker", () -> pool.metrics().pending() == 1);
      Files.writeString(gate, "go\n");
      assertThatThrownBy(() -> held.get(BOUND.toSeconds(), TimeUnit.SECONDS))
          .hasCauseInstanceOf(WorkerException.class)
          .hasMessageContaining("a line longer than 1000 bytes");
      long second = Long.parseLong(queued.get(BOUND.toSeconds(), TimeUnit.SECONDS));
      assertThat(second).isNotEqualTo(first);
      Await.until("the worker that broke the limit is gone", () -> !alive(first));
      assertThat(pool.metrics().replaced()).isEqualTo(1);
    }
  }

  @Test
  void theLineLengthLimitIsRefusedWhenNotPositiveOrForAnotherFraming() {
    assertThatThrownBy(() -> WorkerPool.builder(Workers.sed(), Framing.lines()).maxLineLength(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxLineLength must be positive, got 0");
    assertThatThrownBy(() -> WorkerPool.builder(Command.of("cat"), Framing.lengthPrefixed()).maxLineLength(10)
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxLineLength")
        .hasMessageContaining("Framing.lengthPrefixed(int)");
  }

  @Test
  void theBuilderRefusesImpossibleSettings() {
    WorkerPool.Builder<String, String> builder = WorkerPool.builder(Workers.sed(), Framing.lines());
    assertThatThrownBy(() -> builder.maxWorkers(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.requestTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.minWorkers(3).maxWorkers(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minWorkers (3) is above maxWorkers (2)");
    assertThatThrownBy(() -> WorkerPool.builder(Workers.sed().encoding(StandardCharsets.UTF_16), Framing.lines())
        .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UTF-16");
  }
}

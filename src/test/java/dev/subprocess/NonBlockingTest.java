package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.internal.Engine;
import dev.subprocess.pool.Framing;
import dev.subprocess.pool.WorkerPool;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.ProcStat;
import dev.subprocess.testing.SystemKill;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Proves with BlockHound that the library makes no blocking call on a Reactor non-blocking thread: every
 * publisher is subscribed on {@code Schedulers.parallel()}, its demand and cancellation come from parallel
 * threads, and its timers run there. BlockHound marks blocking JDK methods (sleep, park, wait, file and socket
 * reads and writes, fork and exec); a call of one on a parallel thread is recorded with its stack and fails the
 * test, wherever the library would otherwise have swallowed the error. The library's own threads are
 * non-blocking too (its BlockHound integration, found through the service loader, says so): the JDK backend's
 * blocking stream reads and writes there are allowed by that integration, and a subscriber's blocking call there is
 * reported.
 *
 * <p>Runs in its own failsafe executions ({@code blockhound-linux}, {@code blockhound-jdk}), whose JVM has
 * {@code -XX:+AllowRedefinitionToAddDeleteMethods}, which BlockHound needs on JDK 13+.
 */
class NonBlockingTest {
  private static final ConcurrentLinkedQueue<Throwable> BLOCKING_CALLS = new ConcurrentLinkedQueue<>();
  private static final ConcurrentLinkedQueue<String> BLOCKING_THREADS = new ConcurrentLinkedQueue<>();
  private static final Duration WAIT = Duration.ofSeconds(30);

  @BeforeAll
  static void installBlockHound() {
    List<String> jvmFlags = List.of(ProcessHandle.current().info().arguments().orElse(new String[0]));
    assumeTrue(jvmFlags.contains("-XX:+AllowRedefinitionToAddDeleteMethods"),
        "BlockHound needs -XX:+AllowRedefinitionToAddDeleteMethods: run the blockhound-* failsafe executions");
    // Nothing is allowed here beyond what the library's own integration allows, as for an application.
    BlockHound.install(builder -> builder
        .blockingMethodCallback(method -> {
      BlockingOperationError error = new BlockingOperationError(method);
      BLOCKING_CALLS.add(error);
      BLOCKING_THREADS.add(Thread.currentThread().getName());
      throw error;
    }));
  }

  @BeforeEach
  void provesThatBlockHoundIsActive() {
    BLOCKING_CALLS.clear();
    Throwable caught = Mono.fromCallable(() -> {
      Thread.sleep(1);
      return "slept";
    }).subscribeOn(Schedulers.parallel()).map(Object.class::cast).onErrorResume(e -> Mono.just(e))
        .block(WAIT) instanceof Throwable t ? t : null;
    assertThat(caught).as("BlockHound catches a sleep on a parallel thread").isInstanceOf(BlockingOperationError.class);
    BLOCKING_CALLS.clear();
    BLOCKING_THREADS.clear();
  }

  @AfterEach
  void noBlockingCall() {
    assertThat(BLOCKING_CALLS).as("blocking calls on non-blocking threads (%s backend)", Engine.backendName())
        .isEmpty();
  }

  /** Subscribes on a parallel thread and makes every request from one: publishOn requests in small batches. */
  private static <T> List<T> onParallel(Supplier<? extends Publisher<T>> publisher) {
    return Flux.defer(publisher)
        .subscribeOn(Schedulers.parallel())
        .publishOn(Schedulers.parallel(), 2)
        .collectList()
        .block(WAIT);
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(List<ByteBuffer> chunks) {
    StringBuilder s = new StringBuilder();
    chunks.forEach(b -> s.append(StandardCharsets.UTF_8.decode(b)));
    return s.toString();
  }

  @Test
  void run() {
    List<CompletedProcess> done = onParallel(() -> Command.of("cat").input("hello").captureOutput().run());
    assertThat(done.get(0).stdoutText()).isEqualTo("hello");
  }

  @Test
  void runWithATimeout() {
    List<Object> outcome = onParallel(() -> Command.of("sleep", "30").stdin(Redirect.DEVNULL)
        .timeout(Duration.ofMillis(100)).run().map(Object.class::cast)
        .onErrorResume(TimeoutExpiredException.class, Mono::just));
    assertThat(outcome.get(0)).isInstanceOf(TimeoutExpiredException.class);
  }

  @Test
  void runOfAFailingAndAMissingProgram() {
    List<Object> outcome = onParallel(() -> Flux.concat(
        Command.of("false").stdin(Redirect.DEVNULL).check().run().map(Object.class::cast)
            .onErrorResume(CalledProcessException.class, Mono::just),
        Command.of("/nonexistent/program").stdin(Redirect.DEVNULL).run().map(Object.class::cast)
            .onErrorResume(ProcessStartException.class, Mono::just)));
    assertThat(outcome).hasSize(2);
    assertThat(outcome.get(0)).isInstanceOf(CalledProcessException.class);
    assertThat(outcome.get(1)).isInstanceOf(ProcessStartException.class);
  }

  @Test
  void output() {
    List<ByteBuffer> out = onParallel(() -> Command.of("seq", "1", "20000").stdin(Redirect.DEVNULL).output());
    assertThat(text(out)).startsWith("1\n2\n").endsWith("\n20000\n");
  }

  @Test
  void lines() {
    List<String> lines = onParallel(() -> Command.of("seq", "1", "5000").stdin(Redirect.DEVNULL).lines());
    assertThat(lines).hasSize(5000).endsWith("5000");
  }

  @Test
  void outputCancelledFromAParallelThread() {
    List<ByteBuffer> out = onParallel(() -> Command.of("yes").stdin(Redirect.DEVNULL).output()
        .publishOn(Schedulers.parallel(), 1).take(5));
    assertThat(out).hasSize(5);
  }

  @Test
  void outputFailingInAConsumer() {
    List<Object> outcome = onParallel(() -> Command.of("yes").stdin(Redirect.DEVNULL).output()
        .publishOn(Schedulers.parallel(), 1)
        .<Object>map(b -> {
          throw new IllegalStateException("consumer failed");
        })
        .onErrorResume(IllegalStateException.class, Mono::just));
    assertThat(outcome).hasSize(1);
  }

  @Test
  void pipe() {
    Flux<ByteBuffer> input = Flux.range(0, 200).map(i -> bytes("line " + i + "\n"))
        .subscribeOn(Schedulers.parallel());
    List<ByteBuffer> out = onParallel(() -> Command.of("cat").pipe(input));
    assertThat(text(out)).startsWith("line 0\n").endsWith("line 199\n");
  }

  @Test
  void pipeOfAnEndlessInputCancelled() {
    Flux<ByteBuffer> endless = Flux.<ByteBuffer>generate(s -> s.next(bytes("y".repeat(4096))))
        .subscribeOn(Schedulers.parallel());
    List<ByteBuffer> out = onParallel(() -> Command.of("cat").pipe(endless).take(10));
    assertThat(out).hasSize(10);
  }

  @Test
  void execute() {
    List<ByteBuffer> out = onParallel(() -> Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE)
        .execute(p -> Flux.merge(p.writeStdin(Flux.just(bytes("a"), bytes("b"))).then(Mono.<ByteBuffer>empty()),
            p.stdout())));
    assertThat(text(out)).isEqualTo("ab");
  }

  @Test
  void executeCancelledStopsTheProcess() {
    List<ByteBuffer> out = onParallel(() -> Command.of("yes").stdin(Redirect.DEVNULL).stdout(Redirect.PIPE)
        .execute(RunningProcess::stdout).take(3));
    assertThat(out).hasSize(3);
  }

  @Test
  void startSignalAndWait() {
    List<Integer> codes = onParallel(() -> Command.of("sleep", "30").stdin(Redirect.DEVNULL).start()
        .flatMap(p -> {
          p.kill();
          return p.exitCode();
        }));
    assertThat(codes).containsExactly(-Signals.SIGKILL);
  }

  @Test
  void anySignalAndAStopWithIt() {
    List<Integer> codes = onParallel(() -> Flux.concat(
        Command.of("sleep", "30").stdin(Redirect.DEVNULL).start().flatMap(p -> {
          p.sendSignal(Signals.SIGUSR1);
          return p.exitCode();
        }),
        Command.of("sleep", "30").stdin(Redirect.DEVNULL).killSignal(Signals.SIGINT).timeout(Duration.ofMillis(100))
            .start().flatMap(RunningProcess::exitCode)));
    assertThat(codes).containsExactly(-Signals.SIGUSR1, -Signals.SIGINT);
  }

  @Test
  void communicate() {
    List<CompletedProcess> done = onParallel(() -> Command.of("cat").stdin(Redirect.PIPE).captureOutput().start()
        .flatMap(p -> p.communicate("in".getBytes(StandardCharsets.UTF_8))));
    assertThat(done.get(0).stdoutText()).isEqualTo("in");
  }

  @Test
  void pipelines() {
    List<CompletedPipeline> run = onParallel(() -> Command.of("seq", "1", "1000").stdin(Redirect.DEVNULL)
        .pipeTo(Command.of("head", "-n", "3")).pipeTo(Command.of("cat").stdout(Redirect.PIPE)).run());
    assertThat(run.get(0).stdoutText()).isEqualTo("1\n2\n3\n");
    List<String> lines = onParallel(() -> Pipeline.of(Command.of("yes").stdin(Redirect.DEVNULL),
        Command.of("head", "-n", "100")).lines());
    assertThat(lines).hasSize(100);
    List<ByteBuffer> cancelled = onParallel(() -> Pipeline.of(Command.of("yes").stdin(Redirect.DEVNULL),
        Command.of("cat")).output().publishOn(Schedulers.parallel(), 1).take(4));
    assertThat(cancelled).hasSize(4);
  }

  @Test
  void oneLiners() {
    List<StatusOutput> status = onParallel(() -> Subprocess.getStatusOutput("echo hi; exit 2"));
    assertThat(status.get(0)).isEqualTo(new StatusOutput(2, "hi"));
  }

  @Test
  void workerPool() {
    // Submissions, answers, health checks, recycling, a request timeout and the close, all from parallel threads;
    // map() submits the next request from the thread that delivered an answer (the library's).
    Command worker = Command.shell("while IFS= read -r line; do [ \"$line\" = hang ] && exec sleep 1000;"
        + " echo \"ok:$line\"; done");
    WorkerPool<String, String> pool = WorkerPool.builder(worker, Framing.lines())
        .maxWorkers(2)
        .maxRequestsPerWorker(7)
        .requestTimeout(Duration.ofSeconds(20))
        .healthCheck(w -> w.send("ping").map("ok:ping"::equals), Duration.ZERO)
        .build();
    try {
      List<String> answers = onParallel(() -> pool.map(Flux.range(0, 40).map(i -> "r" + i)));
      assertThat(answers).hasSize(40).startsWith("ok:r0").endsWith("ok:r39");
      List<String> unordered = onParallel(() -> pool.mapUnordered(Flux.range(0, 20).map(i -> "u" + i)));
      assertThat(unordered).hasSize(20).contains("ok:u0", "ok:u19");
    } finally {
      onParallel(pool::closeLater);
    }
    assertThat(pool.metrics().alive()).isZero();
    WorkerPool<String, String> strict = WorkerPool.builder(worker, Framing.lines())
        .maxWorkers(1).requestTimeout(Duration.ofMillis(300)).build();
    try {
      List<Object> late = onParallel(() -> strict.submit("hang").map(Object.class::cast)
          .onErrorResume(TimeoutExpiredException.class, Mono::just));
      assertThat(late.get(0)).isInstanceOf(TimeoutExpiredException.class);
    } finally {
      onParallel(strict::closeLater);
    }
    assertThat(strict.metrics().alive()).isZero();
  }

  /**
   * A start on a parallel thread waits for the watchdog's line when awk has fallen behind (here: stopped, so that
   * more is unread than one write that cannot block allows), a short wait bounded by the library, which its
   * integration allows; the start goes on and nothing else blocks.
   */
  @Test
  void startsOnParallelThreadsWhileTheWatchdogIsBehind() {
    long watchdog = Engine.watchdogPid();
    assumeTrue(watchdog > 0, "children are not watched in this JVM");
    SystemKill.send("STOP", watchdog);
    try {
      Await.until("the watchdog " + watchdog + " is stopped", () -> ProcStat.stopped(watchdog));
      // About 20 bytes per run: 400 runs leave far more unread than a direct write allows, far less than a pipe.
      Long ran = Flux.range(0, 400)
          .concatMap(i -> Command.of("true").run().subscribeOn(Schedulers.parallel()))
          .count()
          .block(WAIT);
      assertThat(ran).isEqualTo(400);
    } finally {
      SystemKill.send("CONT", watchdog);
    }
  }

  @Test
  void theLibrarysBlockHoundIntegrationIsFoundThroughTheServiceLoader() {
    assertThat(ServiceLoader.load(BlockHoundIntegration.class).stream().map(ServiceLoader.Provider::type)
        .map(Class::getName)).contains("dev.subprocess.internal.SubprocessBlockHoundIntegration");
  }

  @Test
  void aBlockingCallOnTheThreadThatDeliversOutputIsReported() throws Exception {
    // The child prints only once told to, after the subscriber asked: the chunk comes from a library thread.
    RunningProcess p = Command.shell("read go; echo \"$go\"").stdin(Redirect.PIPE).stdout(Redirect.PIPE).start()
        .block(WAIT);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    p.stdout().doOnNext(chunk -> {
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }).subscribe(null, outcome::complete, () -> outcome.complete(null));
    p.writeStdin(Mono.just(bytes("go\n"))).block(WAIT);
    assertThat(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isInstanceOf(BlockingOperationError.class);
    assertThat(BLOCKING_THREADS).as("threads of the reported calls").isNotEmpty()
        .allSatisfy(name -> assertThat(name).startsWith("subprocess-"));
    assertThat(p.exitCode().block(WAIT)).isZero();
    BLOCKING_CALLS.clear();
  }
}

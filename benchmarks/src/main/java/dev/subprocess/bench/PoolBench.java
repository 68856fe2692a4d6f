package dev.subprocess.bench;

import static dev.subprocess.bench.Bench.JDK;
import static dev.subprocess.bench.Bench.LINUX;
import static dev.subprocess.bench.Bench.NATIVE;
import static dev.subprocess.bench.Bench.QUIET;

import dev.subprocess.Command;
import dev.subprocess.pool.Framing;
import dev.subprocess.pool.WorkerPool;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;

/**
 * Worker pools: requests per second through a {@code WorkerPool} of 2 or 4 {@code sed -u 's/^/ok:/'} workers
 * (a batch of requests through {@code map}, as many in flight as there are workers), against one
 * {@code Command.run()} per request with the same concurrency, and the latency of one request at a time
 * ({@code submit().block()}). Every answer is checked. The C floor is {@code floor/pool_floor.c}: the same
 * write/read round trip on one pipe pair.
 */
public class PoolBench {
  static final int BATCH = 256;
  static final int RUN_BATCH = 16;
  static final Command SED = Command.of("sed", "-u", "s/^/ok:/");

  @State(Scope.Benchmark)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public abstract static class Ours {
    @Param({"2", "4"})
    public int workers;

    WorkerPool<String, String> pool;
    final List<String> batch = Flux.range(0, BATCH).map(i -> "request-" + i).collectList().block();

    @Setup(Level.Trial)
    public void start() {
      Bench.requireBackend(this);
      pool = WorkerPool.builder(SED, Framing.lines()).minWorkers(workers).maxWorkers(workers).start().block();
    }

    @TearDown(Level.Trial)
    public void close() {
      pool.close();
    }

    /** Requests per second: a batch of {@value #BATCH} requests through {@code map}, answers in order. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BATCH)
    public int pool_throughput() {
      List<String> answers = pool.map(Flux.fromIterable(batch)).collectList().block();
      return check(answers, batch.size());
    }

    /** Requests per second with one process per request: {@code Command.run()}, as many at once as workers. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(RUN_BATCH)
    public int runPerRequest_throughput() {
      List<String> answers = Flux.fromIterable(batch.subList(0, RUN_BATCH))
          .flatMapSequential(r -> SED.input(r + "\n").captureOutput().check().run(), workers)
          .map(done -> done.stdoutText().strip())
          .collectList()
          .block();
      return check(answers, RUN_BATCH);
    }

    /** Microseconds for one request through the pool, one at a time: {@code submit().block()}. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public String pool_latency() {
      String answer = pool.submit("request-0").block();
      if (!"ok:request-0".equals(answer)) {
        throw new IllegalStateException("unexpected answer " + answer);
      }
      return answer;
    }

    /** Microseconds for one request as its own process: {@code Command.run()}. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public String runPerRequest_latency() {
      String answer = SED.input("request-0\n").captureOutput().check().run().block().stdoutText().strip();
      if (!"ok:request-0".equals(answer)) {
        throw new IllegalStateException("unexpected answer " + answer);
      }
      return answer;
    }

    private static int check(List<String> answers, int n) {
      if (answers.size() != n) {
        throw new IllegalStateException(answers.size() + " answers for " + n + " requests");
      }
      for (int i = 0; i < n; i++) {
        if (!answers.get(i).equals("ok:request-" + i)) {
          throw new IllegalStateException("answer " + i + " is " + answers.get(i));
        }
      }
      return n;
    }
  }

  @Fork(value = 1, jvmArgsAppend = {NATIVE, QUIET, LINUX})
  public static class OursLinux extends Ours {}

  @Fork(value = 1, jvmArgsAppend = {NATIVE, QUIET, JDK})
  public static class OursJdk extends Ours {}
}

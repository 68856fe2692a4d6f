package dev.subprocess.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.Command;
import dev.subprocess.testing.Await;
import io.micrometer.context.ContextRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.util.context.Context;

/** The pool logs each request in the subscriber's Context, and each worker's stderr at DEBUG with its pid. */
class WorkerPoolLoggingTest {
  private static final ThreadLocal<String> TRACE_ID = new ThreadLocal<>();
  private static final List<String> RESTORED = new CopyOnWriteArrayList<>();

  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @BeforeEach
  void captureTheLog() {
    originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    ContextRegistry.getInstance().registerThreadLocalAccessor("traceId", TRACE_ID::get, value -> {
      RESTORED.add(value);
      TRACE_ID.set(value);
    }, TRACE_ID::remove);
  }

  @AfterEach
  void restore() {
    System.setErr(originalErr);
    ContextRegistry.getInstance().removeThreadLocalAccessor("traceId");
    RESTORED.clear();
  }

  private String log() {
    return captured.toString(StandardCharsets.UTF_8);
  }

  @Test
  void eachRequestIsLoggedInItsSubscribersContextAndStderrIsLoggedWithThePid() {
    Command noisy = Command.shell("while IFS= read -r line; do echo \"note about $line\" >&2; echo \"$$\"; done");
    try (WorkerPool<String, String> pool = WorkerPool.builder(noisy, Framing.lines()).maxWorkers(1).build()) {
      String pid = pool.submit("apples").contextWrite(Context.of("traceId", "trace-pool-1"))
          .block(Duration.ofSeconds(30));
      Await.until("the worker's stderr is logged", () -> log().contains("worker " + pid + " stderr: note about apples"));
      assertThat(log()).contains("DEBUG dev.subprocess.pool.WorkerPool - worker " + pid + " answered in ");
      assertThat(RESTORED).contains("trace-pool-1");
    }
  }

  @Test
  void aTimeoutIsAWarningInTheSubscribersContext() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), Framing.lines())
        .maxWorkers(1).requestTimeout(Duration.ofMillis(300)).build()) {
      try {
        pool.submit("hang").contextWrite(Context.of("traceId", "trace-pool-2")).block(Duration.ofSeconds(30));
      } catch (dev.subprocess.TimeoutExpiredException expected) {
        // The worker was stopped.
      }
      assertThat(log()).containsPattern("(?s)WARN dev.subprocess.pool.WorkerPool - worker \\d+ \\[/bin/sh, -c, .*"
          + "did not answer within 300 ms: stopping it");
      assertThat(RESTORED).contains("trace-pool-2");
    }
  }
}

package dev.subprocess.pool;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.Command;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.CapturedLog;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.util.context.Context;

/** The pool logs each request in the subscriber's Context, and each worker's stderr at DEBUG with its pid. */
class WorkerPoolLoggingTest {
  @RegisterExtension final CapturedLog captured = new CapturedLog();

  private String log() {
    return captured.text();
  }

  @Test
  void eachRequestIsLoggedInItsSubscribersContextAndStderrIsLoggedWithThePid() {
    Command noisy = Command.shell("while IFS= read -r line; do echo \"note about $line\" >&2; echo \"$$\"; done");
    try (WorkerPool<String, String> pool = WorkerPool.builder(noisy, Framing.lines()).maxWorkers(1).build()) {
      String pid = pool.submit("apples").contextWrite(Context.of(CapturedLog.TRACE_ID, "trace-pool-1"))
          .block(Duration.ofSeconds(30));
      Await.until("the worker's stderr is logged", () -> log().contains("worker " + pid + " stderr: note about apples"));
      assertThat(log()).contains("DEBUG dev.subprocess.pool.WorkerPool - worker " + pid + " answered in ");
      assertThat(captured.restored()).contains("trace-pool-1");
    }
  }

  @Test
  void aTimeoutIsAWarningInTheSubscribersContext() {
    try (WorkerPool<String, String> pool = WorkerPool.builder(Workers.repl(), Framing.lines())
        .maxWorkers(1).requestTimeout(Duration.ofMillis(300)).build()) {
      try {
        pool.submit("hang").contextWrite(Context.of(CapturedLog.TRACE_ID, "trace-pool-2")).block(Duration.ofSeconds(30));
      } catch (dev.subprocess.TimeoutExpiredException expected) {
        // The worker was stopped.
      }
      assertThat(log()).containsPattern("(?s)WARN dev.subprocess.pool.WorkerPool - worker \\d+ \\[/bin/sh, -c, .*"
          + "did not answer within 300 ms: stopping it");
      assertThat(captured.restored()).contains("trace-pool-2");
    }
  }
}

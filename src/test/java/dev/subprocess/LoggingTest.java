package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.CapturedLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.util.context.Context;

/** Each process logs its start and end at DEBUG, and a stop that had to SIGKILL at WARN, in its Context. */
class LoggingTest {
  @RegisterExtension final CapturedLog captured = new CapturedLog();

  private String log() {
    return captured.text();
  }

  @Test
  void startAndEndAreLoggedAtDebugWithTheContextsThreadLocalsRestored() {
    Command.of("cat").stdout(Redirect.PIPE).input("four").run()
        .contextWrite(Context.of(CapturedLog.TRACE_ID, "trace-7"))
        .block();
    Await.until("the end is logged", () -> log().contains("exited with 0"));
    assertThat(log())
        .containsPattern("DEBUG dev.subprocess.internal.Launch - started process \\d+ \\[cat\\] with the "
            + Engine.backendName() + " backend in \\d+ us")
        .containsPattern("process \\d+ \\[cat\\] exited with 0 after \\d+ ms; read 4 bytes of stdout and 0 of"
            + " stderr, wrote 4 to stdin");
    assertThat(captured.restored()).contains("trace-7");
  }

  @Test
  void theEndLineReportsTheCpuTimeOnTheLinuxBackend() {
    org.junit.jupiter.api.Assumptions.assumeTrue(Engine.backendName().equals("linux"), "runs on the linux backend");
    Command.of("true").run().block();
    Await.until("the end is logged", () -> log().contains("[true] exited with 0"));
    assertThat(log()).containsPattern("process \\d+ \\[true\\] exited with 0 after \\d+ ms; read 0 bytes of stdout and"
        + " 0 of stderr, wrote 0 to stdin; used \\d+\\.\\d{3} s user and \\d+\\.\\d{3} s system CPU");
  }

  @Test
  void aStopThatHadToSigkillIsAWarning(@TempDir Path dir) {
    // The stop comes only once the child ignores SIGTERM, so the policy must escalate, however slow the machine.
    Path ready = dir.resolve("ready");
    Command stubborn = Command.shell("trap '' TERM; touch " + ready + "; exec sleep 60")
        .killGrace(Duration.ofMillis(100))
        .stdout(Redirect.PIPE);
    Disposable running = stubborn.run().subscribe(done -> { }, error -> { });
    Await.until("the child ignores SIGTERM", () -> Files.exists(ready));
    running.dispose();
    Await.until("the stop is logged", () -> log().contains("sending SIGKILL"));
    assertThat(log()).containsPattern("WARN dev.subprocess.internal.Execution - process \\d+ \\[/bin/sh, -c, trap"
        + " '' TERM; touch " + java.util.regex.Pattern.quote(ready.toString())
        + "; exec sleep 60\\] outlived SIGTERM by 100 ms: sending SIGKILL");
    Await.until("the child is gone", () -> dev.subprocess.testing.LeakCheck.children().isEmpty());
  }
}

package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.CapturedLog;
import dev.subprocess.testing.ProcStat;
import dev.subprocess.testing.SystemKill;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * A watchdog process that stops reading its pipe holds no start up: the starts go on, the stall is reported once,
 * and the watchdog is told of every child once it reads again.
 */
class WatchdogStallTest {
  /** Only a hang reaches this: the runs below take seconds. */
  private static final Duration LIMIT = Duration.ofMinutes(4);
  /**
   * Each run writes about 20 bytes to the watchdog ({@code + PID p} and {@code - PID}): this many fill a pipe of
   * the default 64 KiB almost twice.
   */
  private static final int RUNS = 6000;

  @RegisterExtension final CapturedLog log = new CapturedLog();

  @Test
  void startsGoOnWhileTheWatchdogIsStoppedAndItLearnsOfThemOnceItRunsAgain() {
    long watchdog = Engine.watchdogPid();
    assumeTrue(watchdog > 0, "children are not watched in this JVM");
    SystemKill.send("STOP", watchdog);
    try {
      Await.until("the watchdog " + watchdog + " is stopped", () -> ProcStat.stopped(watchdog));
      // Subscribed on another thread, so that a start blocked in its write fails this wait instead of hanging it.
      Long ran = Flux.range(0, RUNS).flatMap(i -> Command.of("true").run(), 4).count()
          .subscribeOn(Schedulers.boundedElastic()).block(LIMIT);
      assertThat(ran).isEqualTo(RUNS);
      // The stall is seen by a start that finds the watchdog's writer stuck in its write for a while.
      Await.until("the stall is reported", () -> {
        Command.of("true").run().block(LIMIT);
        return log.text().contains("has not read its pipe");
      });
      assertThat(log.text()).as("the stall is reported once").containsOnlyOnce("has not read its pipe");
    } finally {
      SystemKill.send("CONT", watchdog);
    }
    Await.until("the watchdog reads its pipe again", () -> {
      Command.of("true").run().block(LIMIT);
      return log.text().contains("reads its pipe again");
    });
    assertThat(ProcStat.stopped(watchdog)).isFalse();
  }
}

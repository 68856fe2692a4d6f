package dev.subprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.testing.Await;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watchdog is told of every child in order, and the JVM's exit closes its pipe once every line is written, even
 * when the watchdog is behind or more lines wait than one write that cannot block takes. A watchdog of the
 * library's own is driven here around a process that records what it reads ({@code cat}) and says "ready" only
 * once the test lets it, so that the lines wait meanwhile where the test wants them.
 */
class WatchdogLinesTest {
  /** Only a hang reaches this. */
  private static final long LIMIT_SECONDS = 60;

  @TempDir Path dir;
  private Path go;
  private Path out;
  private Process process;
  private Watchdog watchdog;

  @BeforeEach
  void startARecordingWatchdog() throws Exception {
    go = dir.resolve("go");
    out = dir.resolve("out");
    Process mkfifo = new ProcessBuilder("mkfifo", go.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(mkfifo.exitValue()).isZero();
    // Says "ready" once the test opens the FIFO, then records every line it reads until end of file.
    process = new ProcessBuilder("/bin/sh", "-c", ": < \"$0\"; echo ready; exec cat > \"$1\"", go.toString(),
        out.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Constructor<Watchdog> c = Watchdog.class.getDeclaredConstructor(Process.class);
    c.setAccessible(true);
    watchdog = c.newInstance(process);
  }

  @AfterEach
  void stopIt() throws Exception {
    process.destroyForcibly();
    assertThat(process.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aStartAfterManyWaitingLinesIsWrittenAfterThemAll() throws Exception {
    int reaped = 300;   // more than one write that cannot block takes
    for (int pid = 1; pid <= reaped; pid++) {
      watchdog.unregister(pid);
    }
    Thread start = new Thread(() -> watchdog.register(4_000_000, false), "start");
    start.start();
    awaitWaitingOrDone(start);
    letItRead();
    start.join(TimeUnit.SECONDS.toMillis(LIMIT_SECONDS));
    assertThat(start.isAlive()).isFalse();
    watchdog.close(() -> true);

    List<String> lines = linesReadToTheEnd();
    assertThat(lines).hasSize(reaped + 1);
    assertThat(lines.get(reaped)).as("the start's line, after every line that waited before it")
        .isEqualTo("+ 4000000 p");
  }

  @Test
  void theExitClosesThePipeOfAWatchdogThatIsBehind() throws Exception {
    // 342 lines of 12 bytes: each is written directly, and then more than 4 KiB wait unread in the pipe.
    int started = 342;
    for (int i = 0; i < started; i++) {
      watchdog.register(4_000_000 + i, false);
    }
    watchdog.unregister(4_000_000);
    Thread exit = new Thread(() -> watchdog.close(() -> true), "exit");
    exit.start();
    awaitWaitingOrDone(exit);
    letItRead();
    exit.join(TimeUnit.SECONDS.toMillis(LIMIT_SECONDS));
    assertThat(exit.isAlive()).isFalse();

    List<String> lines = linesReadToTheEnd();
    assertThat(lines).hasSize(started + 1);
    assertThat(lines.get(started)).as("the reaped child's line, written before the close").isEqualTo("- 4000000");
  }

  /** Waits until {@code thread} ended or waits for something (the watchdog's writer thread, once that is fixed). */
  private static void awaitWaitingOrDone(Thread thread) {
    Await.until(thread.getName() + " waits or is done", () -> switch (thread.getState()) {
      case TIMED_WAITING, WAITING, TERMINATED -> true;
      default -> false;
    });
  }

  /** Lets the recording watchdog say "ready" and read. */
  private void letItRead() throws IOException {
    try (FileOutputStream fifo = new FileOutputStream(go.toFile())) {
      // Opened and closed: its reader reads end of file.
    }
  }

  /** Waits for the recording watchdog to read end of file, that is for the pipe to be closed; returns its lines. */
  private List<String> linesReadToTheEnd() throws Exception {
    Await.until("the watchdog " + process.pid() + " reads end of file", () -> !process.isAlive());
    return Files.readAllLines(out);
  }
}

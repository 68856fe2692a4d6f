package dev.subprocess.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * Sends a signal with the system's {@code kill}, started by {@link ProcessBuilder}, not by the library: a start of
 * the library's could be the very one that the process being signalled (a stopped watchdog, say) holds up.
 */
public final class SystemKill {
  /** Only a hang reaches this. */
  private static final long LIMIT_SECONDS = 120;

  private SystemKill() {}

  /** Sends signal {@code name} ({@code STOP}, {@code CONT}, ...) to {@code pid} and checks that kill succeeded. */
  public static void send(String name, long pid) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
      if (!kill.waitFor(LIMIT_SECONDS, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new AssertionError("kill -" + name + " " + pid + " did not end within " + LIMIT_SECONDS + " s");
      }
      if (kill.exitValue() != 0) {
        throw new AssertionError("kill -" + name + " " + pid + " exited with " + kill.exitValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}

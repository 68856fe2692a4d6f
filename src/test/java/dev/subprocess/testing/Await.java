package dev.subprocess.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition that another process or thread makes true, failing after a generous deadline. */
public final class Await {
  private Await() {}

  /**
   * Polls {@code condition} every few milliseconds until it holds; fails with {@code what} after a minute, a bound
   * that only a real hang reaches, however busy the machine.
   */
  public static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }
}

package dev.subprocess.testing;

import dev.subprocess.Command;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;

/**
 * A program for a child JVM with a small heap: runs a command whose output cannot fit, then prints how its
 * subscriber ended ({@code signal=}), how many child processes and pipe descriptors are left once they had time
 * to go ({@code children=}, {@code pipes=}), and whether the library still runs a process afterwards
 * ({@code after=}).
 */
public final class FatalErrorScenario {
  private FatalErrorScenario() {}

  public static void main(String[] args) {
    long pipesBefore = pipes();
    Mono<?> run = switch (args[0]) {
      // One endless line: without a limit on lines, the decoder fills the heap.
      case "long-line" -> Command.of("sh", "-c", "head -c 600000000 /dev/zero | tr '\\0' a").lines().then();
      // More output than the heap holds, captured whole. No timeout: the error must come without one.
      case "big-capture" -> Command.of("head", "-c", "400000000", "/dev/zero").captureOutput().run();
      default -> throw new IllegalArgumentException(args[0]);
    };
    Signal<?> signal;
    try {
      signal = run.materialize().block(Duration.ofSeconds(90));
    } catch (IllegalStateException e) {
      signal = null;
    }
    System.out.println("signal=" + (signal == null ? "none"
        : signal.isOnError() ? "onError " + signal.getThrowable().getClass().getName() : signal.getType()));
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!LeakCheck.children().isEmpty() && System.nanoTime() < deadline) {
      pause();
    }
    System.out.println("children=" + LeakCheck.children().size());
    while (pipes() > pipesBefore && System.nanoTime() < deadline) {
      pause();
    }
    System.out.println("pipes=" + (pipes() - pipesBefore));
    String after = Command.of("echo", "served").captureOutput().run().map(p -> p.stdoutText().trim())
        .block(Duration.ofSeconds(60));
    System.out.println("after=" + after);
    System.exit(0);
  }

  private static long pipes() {
    return LeakCheck.openFds().values().stream().filter(target -> target.startsWith("pipe:")).count();
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package dev.subprocess.testing;

import dev.subprocess.Command;
import dev.subprocess.Redirect;
import reactor.core.scheduler.Schedulers;

/**
 * A program for a child JVM: starts one {@code sleep 1000} first, so that the watchdog runs, then another from a
 * Reactor parallel thread, prints both pids on one line and halts the JVM on that thread the moment the start
 * returns, with no shutdown hook: only the watchdog can stop the second sleep then.
 */
public final class StartOnParallelAndHalt {
  private StartOnParallelAndHalt() {}

  public static void main(String[] args) {
    Command sleep = Command.of("sleep", "1000").stdin(Redirect.DEVNULL);
    long first = sleep.start().block().pid();
    sleep.start()
        .subscribeOn(Schedulers.parallel())
        .doOnNext(started -> {
          System.out.println(first + " " + started.pid());
          System.out.flush();
          Runtime.getRuntime().halt(3);
        })
        .block();
  }
}

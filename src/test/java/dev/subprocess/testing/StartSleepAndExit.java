package dev.subprocess.testing;

import dev.subprocess.Command;
import dev.subprocess.Redirect;
import dev.subprocess.RunningProcess;

/** A program for a child JVM: starts {@code sleep 1000} through the library, prints its pid, and returns. */
public final class StartSleepAndExit {
  private StartSleepAndExit() {}

  public static void main(String[] args) {
    RunningProcess sleep = Command.of("sleep", "1000").stdin(Redirect.DEVNULL).start().block();
    System.out.println(sleep.pid());
  }
}

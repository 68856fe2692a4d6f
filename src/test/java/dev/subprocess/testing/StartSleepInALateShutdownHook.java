package dev.subprocess.testing;

import dev.subprocess.Command;
import dev.subprocess.Redirect;
import dev.subprocess.RunningProcess;
import dev.subprocess.internal.Engine;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A program for a child JVM: runs {@code true} (which starts the watchdog), then returns; a shutdown hook of its own
 * waits until the library's exit hook has run (the watchdog, told nobody is left, exits), then starts
 * {@code sleep 1000} through the library, prints its pid and returns without waiting for it.
 */
public final class StartSleepInALateShutdownHook {
  private StartSleepInALateShutdownHook() {}

  public static void main(String[] args) {
    Command.of("true").stdin(Redirect.DEVNULL).check().run().block();
    long watchdog = Engine.watchdogPid();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      Optional<ProcessHandle> handle = ProcessHandle.of(watchdog);
      if (handle.isPresent()) {
        try {
          handle.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception notGone) {
          // Start the child anyway: it must be stopped either way.
        }
      }
      RunningProcess sleep = Command.of("sleep", "1000").stdin(Redirect.DEVNULL).start().block();
      System.out.println(sleep.pid());
      System.out.flush();
    }, "late-hook"));
  }
}

package dev.subprocess.internal.jdk;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends a signal other than SIGTERM and SIGKILL, which {@link Process} cannot send, through the shell's {@code kill}
 * builtin: one short-lived {@code /bin/sh} per signal (a fork and an exec, about a millisecond), waited for, so
 * that the signal has been sent when {@link #send} returns. The pids are this backend's children and their
 * descendants, checked alive just before; a pid freed and reused in the instants between the check and the
 * {@code kill} would be hit, as with any {@code kill} by pid.
 */
final class Kill {
  private static final File DEV_NULL = new File("/dev/null");

  private Kill() {}

  static void send(int signal, List<Long> pids) {
    if (pids.isEmpty()) {
      return;
    }
    List<String> command = new ArrayList<>(pids.size() + 4);
    command.add(Tools.SH);
    command.add("-c");
    command.add("kill -" + signal + " \"$@\" 2>/dev/null");
    command.add("kill");
    pids.forEach(pid -> command.add(Long.toString(pid)));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(DEV_NULL)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD);
    try {
      Process kill = builder.start();
      boolean interrupted = false;
      while (true) {
        try {
          kill.waitFor();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot send signal " + signal + " to " + pids + ": " + Tools.SH
          + " could not start", e);
    }
  }
}

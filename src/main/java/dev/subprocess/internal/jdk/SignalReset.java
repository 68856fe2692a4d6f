package dev.subprocess.internal.jdk;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Gives the jdk backend's children the default disposition of every signal, as the linux backend's
 * {@code POSIX_SPAWN_SETSIGDEF} gives them, when this JVM ignores some: a JVM started in the background by a shell
 * without job control (or under {@code nohup}) ignores SIGINT and SIGQUIT, and {@link ProcessBuilder} lets its
 * children inherit that, so that a stop policy of SIGINT would not stop them. When a standard signal (1 to 31) is
 * ignored here, children run through coreutils {@code env --default-signal} (one more exec); a JVM that ignores
 * none, the usual case, pays nothing.
 *
 * <p>Found out once, on first use, on a thread that may block: the check runs {@code env} once.
 */
final class SignalReset {
  /** What to run a child through, or an empty list when nothing needs resetting or {@code env} cannot do it. */
  private static final long STANDARD_SIGNALS = 0x7fffffffL;
  static final List<String> PREFIX = prefix();

  private SignalReset() {}

  private static List<String> prefix() {
    if (!ignoresSignals()) {
      return List.of();
    }
    for (String env : new String[] {"/usr/bin/env", "/bin/env"}) {
      if (Files.isExecutable(Path.of(env)) && works(env)) {
        return List.of(env, "--default-signal");
      }
    }
    return List.of();
  }

  /** Reads this process's ignored signals ({@code SigIgn} in {@code /proc/self/status}). */
  private static boolean ignoresSignals() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("SigIgn:")) {
          // Standard signals only (1 to 31): a JVM started by another one ignores glibc's own 32 and 33.
          return new BigInteger(line.substring("SigIgn:".length()).trim(), 16)
              .and(BigInteger.valueOf(STANDARD_SIGNALS)).signum() != 0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // No /proc: nothing is known to need resetting.
    }
    return false;
  }

  /** Whether this {@code env} knows {@code --default-signal} (GNU coreutils 8.31 and later). */
  private static boolean works(String env) {
    try {
      Process probe = new ProcessBuilder(env, "--default-signal", "true")
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!probe.waitFor(30, TimeUnit.SECONDS)) {
        probe.destroyForcibly();
        return false;
      }
      return probe.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

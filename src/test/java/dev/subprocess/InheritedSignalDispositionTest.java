package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.PrintChildSignals;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A JVM that ignores signals (started in the background by a shell without job control, which ignores SIGINT and
 * SIGQUIT, or under {@code nohup}) starts its children with every signal at its default disposition, on both
 * backends, so that a stop policy of SIGINT stops them as it would anywhere else.
 */
class InheritedSignalDispositionTest {

  @Test
  void aJvmThatIgnoresSignalsStartsChildrenThatDoNot() {
    String java = ProcessHandle.current().info().command().orElseThrow();
    String script = "trap '' INT QUIT HUP; exec \"$0\" --enable-native-access=ALL-UNNAMED"
        + " -Ddev.subprocess.launcher=" + Engine.backendName() + " -cp \"$1\" " + PrintChildSignals.class.getName();
    CompletedProcess done = Command.of(List.of("/bin/sh", "-c", script, java, System.getProperty("java.class.path")))
        .stdin(Redirect.DEVNULL).captureOutput().check().run().block();
    assertThat(mask(done.stdoutText(), "SigIgn") & 0x7fffffffL)
        .as("standard signals ignored in the child of a JVM that ignores SIGINT, SIGQUIT and SIGHUP: %s",
            done.stdoutText())
        .isZero();
  }

  private static long mask(String status, String field) {
    for (String line : status.split("\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseUnsignedLong(line.substring(field.length() + 1).trim(), 16);
      }
    }
    throw new AssertionError("no " + field + " in " + status);
  }
}

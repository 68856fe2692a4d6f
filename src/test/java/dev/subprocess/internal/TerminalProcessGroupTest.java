package dev.subprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.Command;
import dev.subprocess.RunningProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A child under a pseudo-terminal leads a new session and so its own process group; the engine must know it, so
 * that the watchdog stops the whole group, not only the descendants it can still find, if the JVM dies.
 */
class TerminalProcessGroupTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aChildUnderATerminalIsKnownToLeadItsProcessGroup() throws Exception {
    assumeTrue(Engine.backendName().equals("linux"), "terminals run on the linux backend");
    RunningProcess p = Command.of("cat").terminal().start().block(WAIT);
    try {
      String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      assertThat(Long.parseLong(fields[2])).as("the process group of %s", p).isEqualTo(p.pid());
      assertThat(((StartedProcess) p).execution().child().leadsProcessGroup())
          .as("what the watchdog is told of %s", p).isTrue();
    } finally {
      p.kill();
      p.exitCode().block(WAIT);
    }
  }
}

package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.ExhaustDescriptors;
import dev.subprocess.testing.LeakCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Running out of descriptors, and many live processes at once. */
class ResourceLimitsTest {

  @Test
  void runningOutOfDescriptorsIsAClearErrorAndLeaksNothing() {
    String[] lines = exhaustDescriptors();
    assertThat(lines[0]).startsWith("EMFILE | Cannot run program 'echo'").contains("Too many open files");
    String[] counts = lines[1].split(" ");
    assertThat(counts[4]).as("descriptors after the failure").isEqualTo(counts[2]);
    assertThat(lines[2]).isEqualTo("again ok");
    assertThat(lines[3]).isEqualTo("children 0");
  }

  @Test
  void aProcessThatStartedButCannotBeWatchedIsKilledAndReaped() {
    assumeTrue(Engine.backendName().equals("linux"), "only the linux backend watches a started child with a pidfd");
    String[] lines = exhaustDescriptors("inherit");
    assertThat(lines[0]).startsWith("EMFILE | Cannot run program 'true'").contains("Too many open files");
    String[] counts = lines[1].split(" ");
    assertThat(counts[4]).as("descriptors after the failure").isEqualTo(counts[2]);
    assertThat(lines[2]).isEqualTo("again exit 0");
    assertThat(lines[3]).as("children left, zombies included").isEqualTo("children 0");
  }

  /** Runs {@link ExhaustDescriptors} in a JVM limited to 200 descriptors; returns the lines it printed. */
  private static String[] exhaustDescriptors(String... args) {
    String java = ProcessHandle.current().info().command().orElseThrow();
    String script = "ulimit -n 200; exec \"$0\" --enable-native-access=ALL-UNNAMED -Ddev.subprocess.launcher=$2"
        + " -cp \"$1\" " + ExhaustDescriptors.class.getName() + " " + String.join(" ", args);
    CompletedProcess done = Command.of(List.of("/bin/sh", "-c", script, java, System.getProperty("java.class.path"),
            Engine.backendName()))
        .stdin(Redirect.DEVNULL).captureOutput().check().run().block();
    return done.stdoutText().split("\n");
  }

  @Test
  void aThousandLiveProcessesNeedAtMostFourLibraryThreads() {
    int n = Engine.backendName().equals("linux") ? 1000 : 50;
    List<RunningProcess> live = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        live.add(Command.of("sleep", "60").stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).start().block());
      }
      assertThat(live).allSatisfy(p -> assertThat(p.poll()).isEmpty());
      if (Engine.backendName().equals("linux")) {
        assertThat(allLibraryThreads()).as("library threads with %d live processes", n).hasSizeLessThanOrEqualTo(4);
      }
    } finally {
      live.forEach(RunningProcess::kill);
      live.forEach(p -> p.exitCode().block());
      live.forEach(p -> p.stdout().subscribe());
    }
    Await.until("all are reaped", () -> LeakCheck.children().isEmpty());
  }

  private static List<String> allLibraryThreads() {
    List<String> names = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.isAlive() && t.getName().startsWith("subprocess-")) {
        names.add(t.getName());
      }
    }
    return names;
  }
}

package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.LeakCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pipeline whose pipe between stages cannot be made closes everything it opened. */
class PipelineStartFailureTest {

  @Test
  void aPipeBetweenStagesThatCannotBeSizedIsClosed() throws IOException {
    assumeTrue(Engine.backendName().equals("linux"), "the jdk backend ignores pipeSize, a performance hint");
    int tooBig = 2 * Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/fs/pipe-max-size")).get(0).trim());
    Pipeline pipeline = Command.of("true").stdin(Redirect.DEVNULL)
        .pipeTo(Command.of("cat").pipeSize(tooBig))
        .pipeTo(Command.of("cat").stdout(Redirect.DEVNULL));
    long pipesBefore = pipes();
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> pipeline.run().block(Duration.ofSeconds(60)))
          .isInstanceOf(ProcessStartException.class)
          .hasMessageContaining("cannot make the pipe to the next stage");
    }
    assertThat(pipes()).as("pipes open after three failed starts").isEqualTo(pipesBefore);
  }

  private static long pipes() {
    Map<Integer, String> fds = LeakCheck.openFds();
    return fds.values().stream().filter(target -> target.startsWith("pipe:")).count();
  }
}

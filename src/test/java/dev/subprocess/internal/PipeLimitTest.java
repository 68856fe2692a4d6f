package dev.subprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The message of a pipe size the system refused names the requested size and the system's limit. */
class PipeLimitTest {

  @Test
  void aSizeAboveTheLimitNamesTheLimit() throws Exception {
    String limit = Files.readString(Path.of("/proc/sys/fs/pipe-max-size")).trim();
    int above = Integer.parseInt(limit) * 2;
    assertThat(PipeLimit.reason(above, "Operation not permitted"))
        .isEqualTo("cannot make a pipe of pipeSize(" + above + ") bytes: Operation not permitted; it is above the"
            + " system's limit of " + limit + " bytes (/proc/sys/fs/pipe-max-size), which only a privileged"
            + " process may exceed");
  }

  @Test
  void aSizeWithinTheLimitStillSaysTheLimit() throws Exception {
    String limit = Files.readString(Path.of("/proc/sys/fs/pipe-max-size")).trim();
    assertThat(PipeLimit.reason(4096, "Cannot allocate memory")).contains("pipeSize(4096)")
        .contains("Cannot allocate memory").contains(limit + " bytes");
  }
}

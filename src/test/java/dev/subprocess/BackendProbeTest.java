package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.RunTrueAndPrintBackend;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The linux backend is chosen only where the platform has what it needs; elsewhere the jdk backend runs and one
 * INFO line names what is missing. Each check is made to fail with the probe's test property.
 */
class BackendProbeTest {
  private static final String SIMULATE = "-Ddev.subprocess.linux.simulateMissing=";

  @BeforeEach
  void onTheLinuxBackend() {
    assumeTrue(Engine.backendName().equals("linux"), "probes the platform for the linux backend");
  }

  @Test
  void aPlatformWithEverythingGetsTheLinuxBackend() {
    CompletedProcess jvm = jvm();
    assertThat(jvm.stdoutText()).isEqualTo("linux 0\n");
    assertThat(jvm.stderrText()).doesNotContain("jdk backend");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "posix_spawn_file_actions_addclosefrom_np | the C library function posix_spawn_file_actions_addclosefrom_np",
      "strerrorname_np | the C library function strerrorname_np",
      "pidfd_open | the system call pidfd_open (Linux 5.4 or later, not blocked by seccomp), which failed with"
          + " Function not implemented (ENOSYS)",
      "pidfd_send_signal | the system call pidfd_send_signal",
      "waitid | the system call waitid(P_PIDFD)",
      "architecture | the x86-64 architecture",
      "critical | Java 24 or later, which links read and write critical"})
  void aMissingPieceFallsBackToTheJdkBackendAndSaysWhat(String missing, String message) {
    CompletedProcess jvm = jvm(SIMULATE + missing);
    assertThat(jvm.stdoutText()).isEqualTo("jdk 0\n");
    assertThat(jvm.stderrText()).contains("INFO")
        .contains("dev.subprocess uses its portable jdk backend: the linux backend needs " + message);
  }

  @Test
  void forcingTheLinuxBackendWhereAPieceIsMissingSaysWhat() {
    CompletedProcess jvm = jvm(SIMULATE + "pidfd_open", "-Ddev.subprocess.launcher=linux");
    assertThat(jvm.returnCode()).isNotZero();
    assertThat(jvm.stderrText()).contains("-Ddev.subprocess.launcher=linux cannot be honoured: the linux backend"
        + " needs the system call pidfd_open");
  }

  private static CompletedProcess jvm(String... properties) {
    List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
        "--enable-native-access=ALL-UNNAMED"));
    argv.addAll(List.of(properties));
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), RunTrueAndPrintBackend.class.getName()));
    return Command.of(argv).stdin(Redirect.DEVNULL).captureOutput().run().block();
  }
}

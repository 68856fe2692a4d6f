package dev.subprocess.ssh;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subprocess.Command;
import dev.subprocess.ProcessStartException;
import dev.subprocess.Redirect;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.SshServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refuses what SSH must refuse, with messages naming the host, the command and the reason. */
class SshRefusalTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);

  @org.junit.jupiter.api.BeforeAll
  static void startServer() {
    SshServer.get();
  }

  @Test
  void anUnknownHostKeyIsRefused() throws IOException {
    SshServer server = SshServer.get();
    try (SshHost host = server.host().knownHosts(server.emptyKnownHosts()).build()) {
      assertThatThrownBy(() -> Command.of("true").on(host).run().block(LIMIT))
          .isInstanceOf(ProcessStartException.class)
          .hasMessageContaining("unknown")
          .hasMessageContaining("127.0.0.1")
          .hasMessageContaining("[true]");
    }
  }

  @Test
  void aChangedHostKeyIsRefused() {
    SshServer server = SshServer.get();
    try (SshHost host = server.host().knownHosts(server.wrongKnownHosts()).build()) {
      assertThatThrownBy(() -> Command.of("true").on(host).run().block(LIMIT))
          .isInstanceOf(ProcessStartException.class)
          .hasMessageContaining("CHANGED");
    }
  }

  @Test
  void aWrongKeyFailsAuthentication() {
    SshServer server = SshServer.get();
    try (SshHost host = SshHost.builder("127.0.0.1").port(server.port()).user(server.user())
        .identity(server.otherKey()).knownHosts(server.knownHosts()).build()) {
      assertThatThrownBy(() -> Command.of("true").on(host).run().block(LIMIT))
          .isInstanceOf(ProcessStartException.class)
          .hasMessageContaining("authentication failed");
    }
  }

  @Test
  void aRefusedConnectionIsAStartFailure() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (SshHost host = SshHost.builder("127.0.0.1").port(port).build()) {
      assertThatThrownBy(() -> Command.of("true").on(host).run().block(LIMIT))
          .isInstanceOf(ProcessStartException.class)
          .hasMessageContaining("cannot connect")
          .hasMessageContaining("ECONNREFUSED");
    }
  }

  @Test
  void aLocalOutputFileThatCannotBeOpenedFailsTheStartWithoutRunningTheRemoteProcess(@TempDir Path dir) {
    SshServer server = SshServer.get();
    Path file = dir.resolve("missing").resolve("out");
    // The remote process is found by its argument: once its connection closed, it would be no server's child.
    String seconds = String.valueOf(100_000 + ProcessHandle.current().pid());
    try (SshHost host = server.host().build()) {
      assertThatThrownBy(() -> Command.of("sleep", seconds).stdout(Redirect.to(file)).on(host).run().block(LIMIT))
          .isInstanceOf(ProcessStartException.class)
          .hasMessageContaining(file.toString())
          .hasMessageContaining("127.0.0.1")
          .hasMessageContaining("[sleep, " + seconds + "]");
      Await.until("no remote sleep " + seconds + " is left", () -> sleepers(seconds).isEmpty());
    } finally {
      sleepers(seconds).forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static List<ProcessHandle> sleepers(String seconds) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("sleep " + seconds)
            || p.info().commandLine().orElse("").contains("'sleep' '" + seconds + "'"))
        .toList();
  }
}

package dev.subprocess.ssh;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subprocess.Command;
import dev.subprocess.ProcessStartException;
import dev.subprocess.testing.SshServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

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
}

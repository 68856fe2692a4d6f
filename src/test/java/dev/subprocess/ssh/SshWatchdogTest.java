package dev.subprocess.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.Command;
import dev.subprocess.Redirect;
import dev.subprocess.RunningProcess;
import dev.subprocess.internal.Engine;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.ProcStat;
import dev.subprocess.testing.SshServer;
import dev.subprocess.testing.StartRemoteAndWait;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * The watchdog that stops this JVM's children if it dies knows only local children: a remote pid is a number on
 * another host, which the watchdog would otherwise signal here. A remote process is left to its server, which
 * keeps it running once the connection is gone.
 */
class SshWatchdogTest {
  private static SshServer server;

  @BeforeAll
  static void startTheServer() {
    server = SshServer.get();
  }

  @Test
  void theWatchdogOfAKilledJvmLeavesItsRemoteProcessesAlone() {
    RunningProcess jvm = Command.of(ProcessHandle.current().info().command().orElseThrow(),
            "--enable-native-access=ALL-UNNAMED", "-Ddev.subprocess.launcher=" + Engine.backendName(),
            "-cp", System.getProperty("java.class.path"), StartRemoteAndWait.class.getName(),
            String.valueOf(server.port()), server.user(), server.userKey().toString(),
            server.knownHosts().toString())
        .stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).start().block();
    String line = Flux.from(jvm.stdout())
        .map(chunk -> StandardCharsets.UTF_8.decode(chunk).toString())
        .scan(String::concat)
        .filter(text -> text.contains("\n"))
        .next()
        .block(Duration.ofSeconds(60));
    List<Long> pids = Arrays.stream(line.trim().split(" ")).map(Long::parseLong).toList();
    long remote = pids.get(0);
    long watchdog = pids.get(1);
    try {
      assertThat(watchdog).as("the child JVM's watchdog").isPositive();
      jvm.kill();
      assertThat(jvm.exitCode().block(Duration.ofSeconds(60))).isNotZero();
      // The watchdog has done all it does once it has exited (SIGTERM, a second, SIGKILL).
      Await.until("the watchdog " + watchdog + " has exited", () -> ProcStat.ended(watchdog));
      assertThat(ProcStat.ended(remote)).as("the remote sleep %s, which its server keeps running", remote)
          .isFalse();
    } finally {
      ProcessHandle.of(remote).ifPresent(ProcessHandle::destroyForcibly);
    }
  }
}

package dev.subprocess.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subprocess.Command;
import dev.subprocess.CompletedPipeline;
import dev.subprocess.CompletedProcess;
import dev.subprocess.RunningProcess;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.ProcStat;
import dev.subprocess.testing.SshServer;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.util.context.Context;

/** Many remote processes, big streams, pipelines joined remotely, and a server that dies. */
class SshScaleTest {
  private static final Duration LIMIT = Duration.ofSeconds(300);
  private static SshServer server;

  @BeforeAll
  static void startServer() {
    server = SshServer.get();
  }

  @Test
  void pipelinesRunAndJoinOnTheRemoteHost() {
    try (SshHost host = server.host().build()) {
      CompletedPipeline done = Command.of("printf", "b\\na\\nc\\n").on(host).pipeTo(Command.of("sort").on(host))
          .pipeTo(Command.shell("cat; exit 4").on(host)).run().block(LIMIT);
      assertThat(done.stages().stream().map(CompletedProcess::returnCode)).containsExactly(0, 0, 4);
      List<String> lines = Command.of("seq", "1", "1000").on(host).pipeTo(Command.of("tail", "-n", "2").on(host))
          .lines().collectList().block(LIMIT);
      assertThat(lines).containsExactly("999", "1000");
    }
  }

  @Test
  void aGibibyteThroughRemoteCatKeepsItsSha256() throws Exception {
    long size = 1L << 30;
    MessageDigest sent = MessageDigest.getInstance("SHA-256");
    MessageDigest received = MessageDigest.getInstance("SHA-256");
    byte[] block = new byte[1 << 20];
    new java.util.Random(42).nextBytes(block);
    Flux<ByteBuffer> input = Flux.range(0, (int) (size / block.length)).map(i -> {
      block[0] = i.byteValue();
      sent.update(block);
      return ByteBuffer.wrap(block.clone());
    });
    try (SshHost host = server.host().build()) {
      long bytes = Command.of("cat").on(host).pipe(input)
          .doOnNext(b -> received.update(b.duplicate()))
          .map(ByteBuffer::remaining).reduce(0L, Long::sum).block(LIMIT);
      assertThat(bytes).isEqualTo(size);
    }
    assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(HexFormat.of().formatHex(sent.digest()));
  }

  @Test
  void twoHundredConcurrentProcessesShareConnectionsBeyondMaxSessions() {
    try (SshHost host = server.host().idleTimeout(Duration.ofSeconds(30)).build()) {
      List<Integer> codes = Flux.range(0, 200)
          .flatMap(i -> Command.shell("sleep 0.5; exit $(( " + i + " % 7 ))").on(host).run()
              .map(CompletedProcess::returnCode), 200)
          .collectList().block(LIMIT);
      assertThat(codes).hasSize(200);
      assertThat(codes.stream().mapToInt(Integer::intValue).sum())
          .isEqualTo(IntStream.range(0, 200).map(i -> i % 7).sum());
    }
  }

  @Test
  void oneConnectionCarriesUpToMaxSessionsThenMoreOpen() {
    try (SshHost host = server.host().idleTimeout(Duration.ofSeconds(30)).build()) {
      List<RunningProcess> running = Flux.range(0, 25)
          .flatMap(i -> Command.of("sleep", "1000").on(host).start(), 25)
          .collectList().block(LIMIT);
      // 25 channels at 10 per connection: 3 connections, each one sshd process (or two) on the server.
      long connections = server.connections().size();
      assertThat(connections).isBetween(3L, 6L);
      running.forEach(RunningProcess::kill);
      Flux.fromIterable(running).flatMap(RunningProcess::exitCode).blockLast(LIMIT);
    }
  }

  @Test
  void idleConnectionsCloseAfterTheIdleTimeout() {
    SshHost host = server.host().idleTimeout(Duration.ofMillis(200)).build();
    assertThat(Command.of("true").on(host).run().block(LIMIT).returnCode()).isZero();
    Await.until("the idle connection closed", () -> server.connections().isEmpty());
  }

  @Test
  void theContextTravelsToTheRemoteEnvironment() {
    try (SshHost host = server.host().build()) {
      String out = Command.shell("echo \"$TRACE_ID\"").envFromContext("TRACE_ID", "trace").on(host).lines()
          .contextWrite(Context.of("trace", "abc-123")).blockFirst(LIMIT);
      assertThat(out).isEqualTo("abc-123");
    }
  }

  @Test
  void aServerKilledMidStreamFailsCleanly() {
    try (SshHost host = server.host().build()) {
      assertThatThrownBy(() -> Command.of("yes").on(host).output()
          .index()
          .doOnNext(t -> {
            if (t.getT1() == 10) {
              server.connections().forEach(p -> {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
              });
            }
          })
          .then().block(LIMIT))
          .isInstanceOf(ConnectionLostException.class)
          .hasMessageContaining(host.name())
          .hasMessageContaining("[yes]");
    }
    Await.until("the remote yes is gone", () -> server.remoteProcesses().isEmpty());
  }

  @Test
  void openSshLeavesARemoteProcessRunningWhenItsConnectionBreaks() {
    try (SshHost host = server.host().build()) {
      RunningProcess sleeper = Command.of("sleep", "1000").on(host).start().block(LIMIT);
      long pid = sleeper.pid();
      try {
        // The connection breaks: its sshd processes die, and the process they started is left to itself.
        server.connections().forEach(p -> {
          p.descendants().filter(d -> d.pid() != pid).forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly();
        });
        Await.until("the connection is closed", () -> server.connections().isEmpty());
        assertThatThrownBy(() -> sleeper.exitCode().block(LIMIT)).isInstanceOf(ConnectionLostException.class);
        // Without a terminal, nothing signals the process when its connection goes.
        assertThat(ProcStat.ended(pid)).as("the remote process outlives its connection").isFalse();
      } finally {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      Await.until("the orphaned sleep is gone", () -> ProcStat.ended(pid));
    }
  }

  @Test
  void openSshDeliversTheSignalRequestToTheProcessGroup() {
    try (SshHost host = server.host().build()) {
      RunningProcess shell = Command.shell("sleep 1000 & echo ready; wait").on(host).start().block(LIMIT);
      Await.until("the remote shell and its sleep run", () -> server.remoteProcesses().size() == 2);
      shell.terminate();
      assertThat(shell.exitCode().block(LIMIT)).isEqualTo(-15);
      Await.until("the sleep, in the same process group, is gone too", () -> server.remoteProcesses().isEmpty());
    }
  }

  @Test
  void fanOutOverHostsIsOrdinaryReactor() {
    try (SshHost a = server.host().build(); SshHost b = server.host().build()) {
      List<Integer> codes = Flux.just(a, b).flatMap(h -> Command.of("true").on(h).run(), 2)
          .map(CompletedProcess::returnCode).collectList().block(LIMIT);
      assertThat(codes).containsExactly(0, 0);
    }
  }
}

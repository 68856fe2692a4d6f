package dev.subprocess.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subprocess.CalledProcessException;
import dev.subprocess.Command;
import dev.subprocess.CompletedProcess;
import dev.subprocess.ProcessStartException;
import dev.subprocess.Redirect;
import dev.subprocess.RunningProcess;
import dev.subprocess.TimeoutExpiredException;
import dev.subprocess.pool.Framing;
import dev.subprocess.pool.WorkerException;
import dev.subprocess.pool.WorkerPool;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.ProcStat;
import dev.subprocess.testing.SshServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Runs commands on a real OpenSSH server on this machine: the same semantics as local processes. */
class SshCoreTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static SshServer server;
  private static SshHost host;

  @BeforeAll
  static void connect() {
    server = SshServer.get();
    host = server.host().build();
  }

  @AfterAll
  static void close() {
    host.close();
  }

  private static String text(Flux<ByteBuffer> chunks) {
    return chunks.map(b -> StandardCharsets.UTF_8.decode(b).toString()).collectList()
        .map(l -> String.join("", l)).block(LIMIT);
  }

  @Test
  void inputTextTheEncodingRefusesNamesTheHostAndStartsNothingThere() {
    StepVerifier.create(Command.of("cat").input("caf\u00e9").encoding(StandardCharsets.US_ASCII).on(host)
            .captureOutput().run())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("[cat] on " + host.name())
            .hasMessageContaining("U+00E9 at index 3"))
        .verify(LIMIT);
    assertThat(server.remoteProcesses()).isEmpty();
  }

  @Test
  void theErrorsOfCommunicateAndOfAConversationNameTheHost() {
    RunningProcess cat = Command.of("cat").encoding(StandardCharsets.US_ASCII).stdin(Redirect.PIPE)
        .stdout(Redirect.PIPE).on(host).start().block(LIMIT);
    StepVerifier.create(cat.communicate("caf\u00e9"))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("communicate(text)").hasMessageContaining("[cat] on " + host.name())
            .hasMessageContaining("U+00E9 at index 3"))
        .verify(LIMIT);
    StepVerifier.create(dev.subprocess.Conversation.of(cat, StandardCharsets.US_ASCII).send("caf\u00e9"))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("send(text)").hasMessageContaining("[cat] on " + host.name()))
        .verify(LIMIT);
    RunningProcess echo = Command.of("echo", "hi").stdin(Redirect.PIPE).stdout(Redirect.PIPE).on(host).start()
        .block(LIMIT);
    assertThat(echo.communicate().block(LIMIT).stdoutText()).isEqualTo("hi\n");
    StepVerifier.create(echo.communicate("more"))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("cannot send input after starting communication")
            .hasMessageContaining("[echo, hi] on " + host.name()))
        .verify(LIMIT);
    cat.kill();
    assertThat(cat.exitCode().block(LIMIT)).isEqualTo(-9);
    Await.until("the server has reaped the remote cat " + cat.pid(),
        () -> server.remoteProcesses().stream().noneMatch(remote -> remote.pid() == cat.pid()));
  }

  @Test
  void theReadmeExampleRuns() throws Exception {
    java.lang.reflect.Method remote = Class.forName("dev.subprocess.readme.ReadmeExamples")
        .getDeclaredMethod("remote", int.class, String.class, Path.class, Path.class);
    remote.setAccessible(true);
    @SuppressWarnings("unchecked")
    reactor.core.publisher.Mono<String> kernel = (reactor.core.publisher.Mono<String>) remote.invoke(null,
        server.port(), server.user(), server.userKey(), server.knownHosts());
    assertThat(kernel.block(LIMIT)).isEqualTo(System.getProperty("os.version") + "\n");
  }

  @Test
  void runsAndCapturesWithTheExitStatus() {
    CompletedProcess done = Command.shell("echo out; echo err >&2; exit 3").on(host).captureOutput().run()
        .block(LIMIT);
    assertThat(done.returnCode()).isEqualTo(3);
    assertThat(done.stdoutText()).isEqualTo("out\n");
    assertThat(done.stderrText()).isEqualTo("err\n");
  }

  @Test
  void quotesEveryArgumentSoNothingIsReSplit() {
    String tricky = "a b; rm -rf x $(id) `id` 'q' \"d\" \\ * \n end";
    String out = text(Command.of("printf", "%s", tricky).on(host).output());
    assertThat(out).isEqualTo(tricky);
  }

  @Test
  void outputAndLinesStream() {
    assertThat(Command.of("seq", "1", "5").on(host).lines().collectList().block(LIMIT))
        .containsExactly("1", "2", "3", "4", "5");
  }

  @Test
  void inputReachesStdin() {
    CompletedProcess done = Command.of("tr", "a-z", "A-Z").on(host).input("hello remote").captureOutput().run()
        .block(LIMIT);
    assertThat(done.stdoutText()).isEqualTo("HELLO REMOTE");
  }

  @Test
  void cwdAndEnvironmentWorkWithoutAcceptEnv() {
    CompletedProcess done = Command.shell("pwd; echo \"$GREETING|$HOME_SET\"").cwd(Path.of("/tmp"))
        .env("GREETING", "hi there 'you'").on(host).captureOutput().run().block(LIMIT);
    assertThat(done.stdoutText()).isEqualTo("/tmp\nhi there 'you'|\n");
    CompletedProcess replaced = Command.of("/usr/bin/env").env(Map.of("ONLY", "this")).on(host).captureOutput()
        .run().block(LIMIT);
    assertThat(replaced.stdoutText()).isEqualTo("ONLY=this\n");
  }

  @Test
  void aMissingWorkingDirectoryIsAStartFailureNamingTheHost() {
    assertThatThrownBy(() -> Command.of("true").cwd(Path.of("/no/such/dir")).on(host).run().block(LIMIT))
        .isInstanceOf(ProcessStartException.class)
        .hasMessageContaining("/no/such/dir")
        .hasMessageContaining(host.name());
  }

  @Test
  void theWorkingDirectoryOfARemoteCommandIsTheHosts() {
    assertThat(Command.of("true").on(host).workingDirectory()).isEqualTo(Path.of(host.name() + ":~"));
    assertThat(Command.of("true").cwd(Path.of("data")).on(host).workingDirectory())
        .isEqualTo(Path.of(host.name() + ":data"));
  }

  @Test
  void aRemoteWorkerThatDiesNamesTheHostInItsError() {
    Command worker = Command.of("sh", "-c", "read line; echo 'no model here' >&2; exit 3").on(host);
    try (WorkerPool<String, String> pool = WorkerPool.builder(worker, Framing.lines()).maxWorkers(1).build()) {
      assertThatThrownBy(() -> pool.submit("x").block(LIMIT))
          .isInstanceOf(WorkerException.class)
          .hasMessageContaining(host.name())
          .hasMessageContaining("no model here")
          .hasMessageContaining("status 3");
    }
  }

  @Test
  void aMissingCommandReturns127Remotely() {
    CompletedProcess done = Command.of("no-such-program-here").on(host).captureOutput().run().block(LIMIT);
    assertThat(done.returnCode()).isEqualTo(127);
    assertThatThrownBy(() -> Command.of("no-such-program-here").on(host).check().captureOutput().run()
        .block(LIMIT))
        .isInstanceOf(CalledProcessException.class)
        .hasMessageContaining("127")
        .hasMessageContaining(host.name());
  }

  @Test
  void startGivesTheRemotePidSignalsAndTheSignalReturnCode() {
    RunningProcess p = Command.of("sleep", "1000").on(host).start().block(LIMIT);
    // The remote shell reports its pid, then execs the command in that same process.
    Await.until("the remote pid runs sleep", () -> ProcessHandle.of(p.pid())
        .flatMap(h -> h.info().command()).orElse("").endsWith("sleep"));
    assertThat(p.poll()).isEmpty();
    p.terminate();
    assertThat(p.exitCode().block(LIMIT)).isEqualTo(-15);
  }

  @Test
  void killSignalsWork() {
    RunningProcess p = Command.of("sleep", "1000").on(host).start().block(LIMIT);
    p.kill();
    assertThat(p.exitCode().block(LIMIT)).isEqualTo(-9);
    // Reported dead before the server has reaped it: the next test looks for processes left on the server.
    Await.until("the server has reaped the remote sleep " + p.pid(),
        () -> server.remoteProcesses().stream().noneMatch(remote -> remote.pid() == p.pid()));
  }

  @Test
  void signalsTheServerCannotCarryAreRefused() {
    assertThatThrownBy(() -> Command.of("true").killSignal(19).on(host).run().block(LIMIT))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("signal 19");
  }

  @Test
  void communicateAndWriteStdin() {
    RunningProcess p = Command.of("cat").stdin(dev.subprocess.Redirect.PIPE).stdout(dev.subprocess.Redirect.PIPE)
        .on(host).start().block(LIMIT);
    CompletedProcess done = p.communicate("through ssh".getBytes(StandardCharsets.UTF_8)).block(LIMIT);
    assertThat(done.stdoutText()).isEqualTo("through ssh");
    assertThat(done.returnCode()).isZero();
  }

  @Test
  void aTimeoutStopsTheRemoteProcess() {
    assertThatThrownBy(() -> Command.of("sleep", "1000").timeout(Duration.ofMillis(500)).on(host).run()
        .block(LIMIT))
        .isInstanceOf(TimeoutExpiredException.class)
        .hasMessageContaining(host.name());
    Await.until("the remote sleep is gone", () -> server.remoteProcesses().isEmpty());
  }

  @Test
  void cancellingStopsTheRemoteProcessGroup() {
    Flux<String> lines = Command.shell("sleep 1000 & echo started; wait").on(host).lines();
    StepVerifier.create(lines).expectNext("started").thenCancel().verify(LIMIT);
    Await.until("the remote shell and its sleep are gone", () -> server.remoteProcesses().isEmpty());
  }

  @Test
  void demandReachesTheRemoteChild() {
    java.util.concurrent.atomic.AtomicLong pid = new java.util.concurrent.atomic.AtomicLong();
    StepVerifier.create(Command.shell("echo $$ >&2; exec yes").on(host).stderr(dev.subprocess.Redirect.DEVNULL)
        .output(), 1)
        .expectNextCount(1)
        .then(() -> Await.until("the remote yes is blocked on its full pipe", () -> {
          List<ProcessHandle> remote = server.remoteProcesses();
          if (remote.size() != 1) {
            return false;
          }
          pid.set(remote.get(0).pid());
          return ProcStat.blockedOnPipeWrite(remote.get(0).pid());
        }))
        .then(() -> {
          long written = ProcStat.bytesWritten(pid.get());
          // One SSH window (2 MiB) plus the pipes in between, nothing like an unbounded read.
          assertThat(written).isLessThan(16L * 1024 * 1024);
        })
        .thenCancel()
        .verify(LIMIT);
    Await.until("the remote yes is gone", () -> server.remoteProcesses().isEmpty());
  }

  @Test
  void optionsThatCannotWorkRemotelyAreRefusedBeforeConnecting() {
    SshHost nowhere = SshHost.builder("127.0.0.1").port(1).knownHosts(Path.of("/nonexistent")).build();
    assertThatThrownBy(() -> Command.of("true").passFds(3).on(nowhere).run().block(LIMIT))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("passFds");
    assertThatThrownBy(() -> Command.of("true").pipeSize(65536).on(nowhere).run().block(LIMIT))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("pipeSize");
    assertThatThrownBy(() -> Command.of("true").executable(Path.of("/bin/true")).on(nowhere).run().block(LIMIT))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("executable");
    assertThatThrownBy(() -> Command.of("cat").stdin(dev.subprocess.Redirect.from(Path.of("/etc/hostname")))
        .on(nowhere).run().block(LIMIT))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("stdin");
    assertThatThrownBy(() -> Command.of("tty").terminal().on(nowhere).run().block(LIMIT))
        .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("terminal");
    nowhere.close();
  }

  @Test
  void localFileRedirectsHoldAllOfTheOutputOnceTheRunHasCompleted(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    Path err = dir.resolve("err");
    Files.writeString(err, "before\n");
    // More than the channel's window: most of it is still on its way when the remote process exits.
    CompletedProcess done = Command.shell("head -c 8388608 /dev/zero; echo after >&2")
        .stdout(Redirect.to(out)).stderr(Redirect.appendTo(err)).on(host).run().block(LIMIT);
    assertThat(done.returnCode()).isZero();
    assertThat(Files.size(out)).isEqualTo(8388608);
    assertThat(Files.readString(err)).isEqualTo("before\nafter\n");
  }

  @Test
  void aLocalFileThatCannotBeWrittenDoesNotHoldTheRemoteProcess() {
    // Writes to /dev/full fail (ENOSPC); the output is dropped, never left to fill the channel's window.
    CompletedProcess done = Command.of("head", "-c", "8388608", "/dev/zero")
        .stdout(Redirect.to(Path.of("/dev/full"))).on(host).run().block(LIMIT);
    assertThat(done.returnCode()).isZero();
  }
}

package dev.subprocess.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.Command;
import dev.subprocess.CompletedProcess;
import dev.subprocess.Redirect;
import dev.subprocess.RunningProcess;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.ProcStat;
import dev.subprocess.testing.SshServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/**
 * How remote processes are stopped on a real OpenSSH server: where the server refuses the {@code signal} request,
 * when the host is closed right after a cancellation or while processes run, and when one channel closes among
 * others on its connection.
 */
class SshStopTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  /**
   * Prints its pid, then ignores SIGTERM (an ignored signal stays ignored across exec), so that only the stop
   * policy's SIGKILL ends it.
   */
  private static final String IGNORES_TERM = "trap '' TERM; echo $$; exec sleep 1000";
  private static SshServer server;

  @BeforeAll
  static void startServer() {
    server = SshServer.get();
  }

  @Test
  void whereTheServerRefusesTheSignalRequestKillOnAnotherChannelDeliversIt() {
    int from = server.log().length();
    try (SshHost host = server.forcedCommandHost().build()) {
      RunningProcess sleeper = Command.of("sleep", "1000").on(host).start().block(LIMIT);
      sleeper.terminate();
      assertThat(sleeper.exitCode().block(LIMIT)).isEqualTo(-15);
    }
    assertThat(server.log().substring(from)).contains("refusing to send signal TERM to forced-command session");
  }

  @Test
  void whereTheServerRefusesTheSignalRequestCancellingStopsTheWholeProcessGroup() {
    try (SshHost host = server.forcedCommandHost().build()) {
      StepVerifier.create(Command.shell("sleep 1000 & echo started; wait").on(host).lines())
          .expectNext("started").thenCancel().verify(LIMIT);
      Await.until("the remote shell and its sleep are gone", () -> server.remoteProcesses().isEmpty());
    }
  }

  @Test
  void whereTheServerRefusesTheSignalRequestTheStopPolicyStillEndsWithSigkill() {
    int from = server.log().length();
    try (SshHost host = server.forcedCommandHost().build()) {
      long pid = cancelAfterTheFirstLine(host);
      Await.until("the remote process " + pid + " is gone", () -> ProcStat.ended(pid));
    }
    assertThat(server.log().substring(from)).contains("refusing to send signal TERM to forced-command session")
        .contains("refusing to send signal KILL to forced-command session");
  }

  @Test
  void closingTheHostRightAfterACancellationStillStopsTheProcess() {
    cancelThenClose(server.host().build());
  }

  @Test
  void closingTheHostRightAfterACancellationStillStopsTheProcessWhereTheServerRefusesSignals() {
    int from = server.log().length();
    cancelThenClose(server.forcedCommandHost().build());
    assertThat(server.log().substring(from)).contains("refusing to send signal KILL to forced-command session");
  }

  /**
   * Cancels a process that ignores SIGTERM and closes its host at once: only the SIGKILL that the stop policy
   * sends after the grace ends the process, so the close must leave its connection open for that. The process
   * is watched by its pid: once its connection is closed, an orphan would no longer be the server's descendant.
   */
  private static void cancelThenClose(SshHost host) {
    long pid = cancelAfterTheFirstLine(host);
    try {
      host.close();
      Await.until("the remote process " + pid + " is gone", () -> ProcStat.ended(pid));
      Await.until("the connection is closed", () -> server.connections().isEmpty());
    } finally {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** Runs {@link #IGNORES_TERM} with a short grace, cancels it once it has printed its pid, returns the pid. */
  private static long cancelAfterTheFirstLine(SshHost host) {
    AtomicLong pid = new AtomicLong();
    StepVerifier.create(Command.shell(IGNORES_TERM).killGrace(Duration.ofMillis(300)).on(host).lines())
        .consumeNextWith(line -> pid.set(Long.parseLong(line))).thenCancel().verify(LIMIT);
    return pid.get();
  }

  @Test
  void closingTheHostStopsTheProcessesStillRunningOnIt() {
    closeWhileRunning(server.host().build());
  }

  @Test
  void closingTheHostStopsTheProcessesStillRunningOnItWhereTheServerRefusesSignals() {
    int from = server.log().length();
    closeWhileRunning(server.forcedCommandHost().build());
    assertThat(server.log().substring(from)).contains("refusing to send signal TERM to forced-command session");
  }

  /**
   * Closes {@code host} while two remote {@code sleep}s run on it, one owned by the caller ({@code start()}), one
   * inside {@code run()}: both are stopped with SIGTERM, their runs end as stopped, and the server side shows
   * neither (the server is this machine: its descendants and the remote pids are read in {@code /proc}).
   */
  private static void closeWhileRunning(SshHost host) {
    List<Long> remote = new java.util.ArrayList<>();
    try {
      RunningProcess owned = Command.of("sleep", "1000").on(host).start().block(LIMIT);
      CompletableFuture<CompletedProcess> run = Command.of("sleep", "1001").on(host).run().toFuture();
      Await.until("both sleeps run remotely", () -> server.remoteProcesses().size() == 2);
      server.remoteProcesses().forEach(p -> remote.add(p.pid()));
      assertThat(remote).contains(owned.pid());
      host.close();
      assertThat(owned.exitCode().block(LIMIT)).isEqualTo(-15);
      assertThat(run.get(LIMIT.toSeconds(), TimeUnit.SECONDS).returnCode()).isEqualTo(-15);
      for (long pid : remote) {
        Await.until("the remote process " + pid + " is gone", () -> ProcStat.ended(pid));
      }
      Await.until("no process runs remotely", () -> server.remoteProcesses().isEmpty());
      Await.until("the connection is closed", () -> server.connections().isEmpty());
    } catch (InterruptedException | ExecutionException | TimeoutException e) {
      throw new AssertionError("the run did not end as stopped", e);
    } finally {
      host.close();
      remote.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
  }

  /**
   * Closes the host while a checked {@code run()} and an {@code output()} run on it: both fail with the
   * {@code CalledProcessException} of the SIGTERM that stopped them, a {@link HostClosedException} that says the
   * host was closed and names it.
   */
  @Test
  void checkedRunsThatTheHostsCloseStopsSayTheHostWasClosed() throws Exception {
    SshHost host = server.host().build();
    try {
      CompletableFuture<CompletedProcess> run = Command.of("sleep", "1002").on(host).check().run().toFuture();
      CompletableFuture<List<java.nio.ByteBuffer>> output = Command.of("sleep", "1003").on(host).output()
          .collectList().toFuture();
      Await.until("both sleeps run remotely", () -> server.remoteProcesses().size() == 2);
      host.close();
      for (CompletableFuture<?> stopped : List.of(run, output)) {
        ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
            () -> stopped.get(LIMIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(failed.getCause()).isInstanceOf(HostClosedException.class)
            .isInstanceOf(dev.subprocess.CalledProcessException.class)
            .hasMessageContaining("stopped because its SshHost " + host.name() + " was closed")
            .hasMessageContaining("[sleep, 100")
            .hasMessageContaining("died with signal 15 (SIGTERM)");
        HostClosedException closed = (HostClosedException) failed.getCause();
        assertThat(closed.host()).isEqualTo(host.name());
        assertThat(closed.returnCode()).isEqualTo(-15);
      }
      Await.until("no process runs remotely", () -> server.remoteProcesses().isEmpty());
      Await.until("the connection is closed", () -> server.connections().isEmpty());
    } finally {
      host.close();
    }
  }

  @Test
  void closingTheHostTwiceEscalatesToSigkillForAProcessThatIgnoresTheKillSignal() {
    closeTwiceWhileIgnoringTerm(server.host().build());
  }

  @Test
  void closingTheHostTwiceEscalatesToSigkillWhereTheServerRefusesSignals() {
    int from = server.log().length();
    closeTwiceWhileIgnoringTerm(server.forcedCommandHost().build());
    assertThat(server.log().substring(from)).contains("refusing to send signal KILL to forced-command session");
  }

  /**
   * Closes {@code host} twice while {@link #IGNORES_TERM} runs on it, the second close while the first one's stop
   * is under way: SIGTERM does nothing, so the run ends only by the SIGKILL the stop policy sends after the grace,
   * and the second close neither stops it again nor closes its channel before that.
   */
  private static void closeTwiceWhileIgnoringTerm(SshHost host) {
    long pid = 0;
    try {
      // The grace is the stop policy's, not a wait of this test: long enough that the second close lands within it
      // on any machine, and no assertion depends on where it lands.
      RunningProcess owned = Command.shell(IGNORES_TERM).killGrace(Duration.ofSeconds(3)).stdout(Redirect.PIPE)
          .on(host).start().block(LIMIT);
      // The pid line comes after the trap: from then on SIGTERM is ignored.
      String line = owned.stdout().map(chunk -> StandardCharsets.UTF_8.decode(chunk).toString())
          .scan("", String::concat).filter(text -> text.contains("\n")).blockFirst(LIMIT);
      pid = Long.parseLong(line.strip());
      host.close();
      host.close();
      assertThat(owned.exitCode().block(LIMIT)).isEqualTo(-9);
      long remote = pid;
      Await.until("the remote process " + remote + " is gone", () -> ProcStat.ended(remote));
      Await.until("the connection is closed", () -> server.connections().isEmpty());
    } finally {
      host.close();
      if (pid > 0) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  /**
   * Starts on a host after its close, whatever way they start: each fails at once with a
   * {@code ProcessStartException} saying that the host was closed, and nothing runs or connects there.
   */
  @Test
  void aClosedHostStartsNothingMore() {
    SshHost host = server.host().build();
    try {
      assertThat(Command.of("true").on(host).run().block(LIMIT).returnCode()).isZero();
      host.close();
      Await.until("the connection is closed", () -> server.connections().isEmpty());
      List<reactor.core.publisher.Mono<?>> starts = List.of(
          Command.of("sleep", "1000").on(host).start(),
          Command.of("sleep", "1000").on(host).run(),
          Command.of("sleep", "1000").on(host).output().then(),
          Command.of("sleep", "1000").on(host).pipeTo(Command.of("cat").on(host)).run());
      for (reactor.core.publisher.Mono<?> start : starts) {
        StepVerifier.create(start).expectErrorSatisfies(e -> assertThat(e)
                .isInstanceOf(dev.subprocess.ProcessStartException.class)
                .hasMessageContaining("[sleep, 1000]")
                .hasMessageContaining("its SshHost " + host.name() + " was closed"))
            .verify(LIMIT);
      }
      assertThat(server.remoteProcesses()).isEmpty();
      assertThat(server.connections()).isEmpty();
    } finally {
      host.close();
    }
  }

  /**
   * Closes the host while one start's connection is being opened (a relay holds the server's bytes back) and a
   * second start waits for that connection: the second fails at once, saying that the host was closed, while the
   * first is still held; the first, once let through, starts and is stopped.
   */
  @Test
  void aStartWaitingForAConnectionWhenTheHostClosesFailsAtOnce(@TempDir Path dir) throws Exception {
    closeWhileConnecting(dir, true);
  }

  /**
   * Closes the host while the connection of a process's start is still being opened: the connection goes through
   * a relay that holds the server's bytes back until the close has returned, so the process starts after the close
   * on a connection the close could not see. It is stopped once it has started, as any process still starting.
   */
  @Test
  void aProcessWhoseConnectionIsStillOpeningWhenTheHostClosesIsStoppedOnceStarted(@TempDir Path dir)
      throws Exception {
    closeWhileConnecting(dir, false);
  }

  /**
   * Closes the host while a start's connection goes through a relay that holds the server's bytes back; when
   * {@code another}, a second start is subscribed meanwhile, and must fail before the relay lets the first through.
   */
  private static void closeWhileConnecting(Path dir, boolean another) throws Exception {
    List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<java.net.Socket> sockets = new java.util.concurrent.CopyOnWriteArrayList<>();
    CountDownLatch accepted = new CountDownLatch(1);
    CountDownLatch open = new CountDownLatch(1);
    SshHost host = null;
    long pid = 0;
    try (ServerSocket gate = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path known = dir.resolve("known_hosts");
      Files.writeString(known, Files.readString(server.knownHosts())
          .replace("[127.0.0.1]:" + server.port(), "[127.0.0.1]:" + gate.getLocalPort()));
      Thread relay = new Thread(() -> {
        try {
          java.net.Socket client = gate.accept();
          sockets.add(client);
          accepted.countDown();
          open.await();
          java.net.Socket upstream = new java.net.Socket("127.0.0.1", server.port());
          sockets.add(upstream);
          threads.add(pump(client, upstream));
          threads.add(pump(upstream, client));
        } catch (IOException | InterruptedException e) {
          // The test failed or is over: the sockets are closed.
        }
      }, "test-relay");
      relay.start();
      host = server.host().port(gate.getLocalPort()).knownHosts(known).build();
      CompletableFuture<RunningProcess> starting = Command.of("sleep", "1000").on(host).start().toFuture();
      assertThat(accepted.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).as("the connection is being opened").isTrue();
      CompletableFuture<RunningProcess> waiting = another
          ? Command.of("sleep", "1001").on(host).start().toFuture() : null;
      host.close();
      if (waiting != null) {
        ExecutionException refused = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
            () -> waiting.get(LIMIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(refused.getCause()).isInstanceOf(dev.subprocess.ProcessStartException.class)
            .hasMessageContaining("[sleep, 1001]").hasMessageContaining("was closed");
        assertThat(starting).as("the first start is still held by the relay").isNotDone();
      }
      open.countDown();
      RunningProcess sleeper = starting.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
      pid = sleeper.pid();
      assertThat(sleeper.exitCode().block(LIMIT)).isEqualTo(-15);
      long remote = pid;
      Await.until("the remote process " + remote + " is gone", () -> ProcStat.ended(remote));
      Await.until("the connection is closed", () -> server.connections().isEmpty());
      relay.join(LIMIT.toMillis());
    } finally {
      open.countDown();
      if (host != null) {
        host.close();
      }
      if (pid > 0) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
      for (java.net.Socket socket : sockets) {
        socket.close();
      }
      for (Thread thread : threads) {
        thread.join(LIMIT.toMillis());
      }
    }
  }

  /** Copies {@code from} into {@code to} on a thread of its own until either ends. */
  private static Thread pump(java.net.Socket from, java.net.Socket to) {
    Thread t = new Thread(() -> {
      try {
        from.getInputStream().transferTo(to.getOutputStream());
        to.shutdownOutput();
      } catch (IOException e) {
        // One side closed.
      }
    }, "test-relay-pump");
    t.start();
    return t;
  }

  @Test
  void oneChannelClosingLeavesTheOthersOnItsConnectionRunning() {
    try (SshHost host = server.host().idleTimeout(Duration.ofSeconds(30)).build()) {
      RunningProcess cat = Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE).on(host).start()
          .block(LIMIT);
      List<ProcessHandle> connection = server.connections();
      assertThat(connection).hasSize(1);
      // Two more channels on the same connection close: one stopped mid-stream, one whose process ended.
      StepVerifier.create(Command.of("yes").on(host).lines().take(3)).expectNextCount(3).verifyComplete();
      assertThat(Command.of("true").on(host).run().block(LIMIT).returnCode()).isZero();
      Await.until("only cat runs remotely", () -> server.remoteProcesses().size() == 1);
      assertThat(server.connections()).isEqualTo(connection);
      CompletedProcess done = cat.communicate("still here".getBytes(StandardCharsets.UTF_8)).block(LIMIT);
      assertThat(done.stdoutText()).isEqualTo("still here");
      assertThat(done.returnCode()).isZero();
    }
  }
}

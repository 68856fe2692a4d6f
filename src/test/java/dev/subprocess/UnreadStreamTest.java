package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.testing.Await;
import dev.subprocess.testing.LeakCheck;
import dev.subprocess.testing.ProcStat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A piped stream of a started or executed process that nobody reads never blocks the child while another of
 * its streams is read or the process is waited for: it is held, bounded by {@code unreadBufferLimit}, for its
 * later subscriber. Where Python's Popen deadlocks, this does not.
 */
class UnreadStreamTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  private static long size(Flux<ByteBuffer> stream) {
    return stream.map(b -> (long) b.remaining()).reduce(0L, Long::sum).block(WAIT);
  }

  private static String text(ByteBuffer b) {
    return StandardCharsets.UTF_8.decode(b).toString();
  }

  @Test
  void tenMegabytesOnStderrDoNotBlockAStartedProcessWhoseStdoutIsRead() {
    RunningProcess p = Command.shell("head -c 10000000 /dev/zero >&2; echo out").stdin(Redirect.DEVNULL)
        .captureOutput().start().block(WAIT);
    assertThat(p.stdout().map(UnreadStreamTest::text).collectList().block(WAIT)).containsExactly("out\n");
    assertThat(p.exitCode().block(WAIT)).isZero();
    // Its later subscriber gets every byte, what was held first.
    assertThat(size(p.stderr())).isEqualTo(10_000_000);
  }

  @Test
  void anUnreadStreamPastItsLimitIsDroppedAndItsLaterSubscriberIsToldTheLimit() {
    RunningProcess p = Command.shell("head -c 10000000 /dev/zero >&2; echo out").stdin(Redirect.DEVNULL)
        .captureOutput().unreadBufferLimit(64 * 1024).start().block(WAIT);
    // stderr is far past the limit long before stdout ends: the child is not blocked, it runs to its end.
    assertThat(p.stdout().map(UnreadStreamTest::text).collectList().block(WAIT)).containsExactly("out\n");
    assertThat(p.exitCode().block(WAIT)).isZero();
    StepVerifier.create(p.stderr())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
            .hasMessageStartingWith("stderr of process " + p.pid())
            .hasMessageContaining("unread buffer limit of 65536 bytes")
            .hasMessageContaining("Command.unreadBufferLimit(bytes)"))
        .verify(WAIT);
  }

  @Test
  void waitingForTheExitHoldsBothStreams() {
    // Popen's wait() deadlocks here: each stream is far larger than a pipe.
    RunningProcess p = Command.shell("head -c 3000000 /dev/zero; head -c 2000000 /dev/zero >&2")
        .stdin(Redirect.DEVNULL).captureOutput().start().block(WAIT);
    assertThat(p.exitCode().block(WAIT)).isZero();
    assertThat(size(p.stdout())).isEqualTo(3_000_000);
    assertThat(size(p.stderr())).isEqualTo(2_000_000);
  }

  @Test
  void pollingForTheExitHoldsTheOutput() {
    RunningProcess p = Command.of("head", "-c", "1000000", "/dev/zero").stdin(Redirect.DEVNULL)
        .stdout(Redirect.PIPE).start().block(WAIT);
    Await.until("head exits while only poll() is called", () -> p.poll().isPresent());
    assertThat(p.poll()).hasValue(0);
    assertThat(size(p.stdout())).isEqualTo(1_000_000);
  }

  @Test
  void writingStdinHoldsTheOutputTheCallerReadsAfterwards() {
    byte[] input = new byte[4 * 1024 * 1024];
    RunningProcess cat = Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE).start().block(WAIT);
    StepVerifier.create(cat.writeStdin(Mono.fromSupplier(() -> ByteBuffer.wrap(input))).then(cat.exitCode()))
        .expectNext(0)
        .expectComplete()
        .verify(WAIT);
    assertThat(size(cat.stdout())).isEqualTo(input.length);
  }

  @Test
  void nothingIsHeldWhileNothingIsReadOrAwaited() {
    RunningProcess p = Command.of("head", "-c", "1000000", "/dev/zero").stdin(Redirect.DEVNULL)
        .stdout(Redirect.PIPE).start().block(WAIT);
    // Nobody reads or waits: the child meets the full pipe, as backpressure.
    Await.until("head blocks on its full stdout", () -> ProcStat.blockedOnPipeWrite(p.pid()));
    assertThat(ProcStat.bytesWritten(p.pid())).isLessThan(1_000_000);
    assertThat(size(p.stdout())).isEqualTo(1_000_000);
    assertThat(p.exitCode().block(WAIT)).isZero();
  }

  @Test
  void aStreamThatIsReadKeepsItsBackpressureWhileTheOtherIsHeld() {
    AtomicLong written = new AtomicLong();
    RunningProcess p = Command.shell("head -c 1000000 /dev/zero >&2; exec yes").stdin(Redirect.DEVNULL)
        .captureOutput().start().block(WAIT);
    StepVerifier.create(p.stdout(), 1)
        .expectNextCount(1)
        .then(() -> {
          Await.until("yes blocks on its full stdout", () -> ProcStat.blockedOnPipeWrite(p.pid()));
          written.set(ProcStat.bytesWritten(p.pid()));
        })
        .thenRequest(16)
        .expectNextCount(16)
        .then(() -> assertThat(ProcStat.bytesWritten(p.pid())).isGreaterThan(written.get()))
        .thenCancel()
        .verify(WAIT);
    // Cancelling closed stdout: yes dies of SIGPIPE (which the jdk backend reports as 128 + 13).
    assertThat(p.exitCode().block(WAIT)).isIn(-Signals.SIGPIPE, 128 + Signals.SIGPIPE);
    // stderr was held meanwhile, so the child got past it to stdout; its later subscriber gets all of it.
    assertThat(size(p.stderr())).isEqualTo(1_000_000);
  }

  @Test
  void communicateGetsWhatWasHeldFirst() {
    RunningProcess p = Command.shell("head -c 3000000 /dev/zero; echo err >&2").stdin(Redirect.DEVNULL)
        .captureOutput().start().block(WAIT);
    assertThat(p.exitCode().block(WAIT)).isZero();
    CompletedProcess done = p.communicate().block(WAIT);
    assertThat(done.stdout()).hasSize(3_000_000);
    assertThat(done.stderrText()).isEqualTo("err\n");
  }

  @Test
  void anExecuteBodyThatReadsAStreamAfterAnotherStepGetsAllOfIt() {
    Flux<String> sorted = Command.of("sort").stdin(Redirect.PIPE).stdout(Redirect.PIPE)
        .execute(p -> p.writeStdin(Flux.just("pear\n", "apple\n").map(s -> ByteBuffer.wrap(s.getBytes())))
            .thenMany(p.stdout().map(UnreadStreamTest::text)));
    StepVerifier.create(sorted.reduce(String::concat))
        .expectNext("apple\npear\n")
        .expectComplete()
        .verify(WAIT);
  }

  @Test
  void anExecuteBodyThatReadsAStreamOnlyAfterTheExitGetsItOrIsToldTheLimit() {
    StepVerifier.create(Command.of("head", "-c", "1000000", "/dev/zero").stdin(Redirect.DEVNULL)
            .stdout(Redirect.PIPE)
            .execute(p -> p.exitCode().thenMany(p.stdout()).map(b -> (long) b.remaining()).reduce(0L, Long::sum)))
        .expectNext(1_000_000L)
        .expectComplete()
        .verify(WAIT);
    StepVerifier.create(Command.of("head", "-c", "1000000", "/dev/zero").stdin(Redirect.DEVNULL)
            .stdout(Redirect.PIPE).unreadBufferLimit(1024)
            .execute(p -> p.exitCode().thenMany(p.stdout())))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("unread buffer limit of 1024 bytes"))
        .verify(WAIT);
  }

  @Test
  void aStreamLeftUnreadWhenTheExecuteBodyEndsIsClosed() {
    RunningProcess[] kept = new RunningProcess[1];
    StepVerifier.create(Command.shell("echo out; echo err >&2").stdin(Redirect.DEVNULL).captureOutput()
            .execute(p -> {
              kept[0] = p;
              return p.stdout().map(UnreadStreamTest::text);
            }))
        .expectNext("out\n")
        .expectComplete()
        .verify(WAIT);
    StepVerifier.create(kept[0].stderr())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("was closed unread: its process was released"))
        .verify(WAIT);
    Await.until("no child is left", () -> LeakCheck.children().isEmpty());
  }
}

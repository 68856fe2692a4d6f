package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.testing.Await;
import dev.subprocess.testing.LeakCheck;
import dev.subprocess.testing.ProcStat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** output(): stdout streamed with real backpressure and check_output semantics. */
class OutputStreamTest {

  @Test
  void streamsStdoutAndCompletesOnSuccess() {
    StepVerifier.create(Command.shell("echo one; echo two").output().map(OutputStreamTest::text).reduce(String::concat))
        .expectNext("one\ntwo\n")
        .verifyComplete();
  }

  @Test
  void aNonZeroExitFailsAfterTheDataWithTheTailOfStderr() {
    StepVerifier.create(Command.shell("echo partial; echo 'cannot open db' >&2; exit 4").output().map(OutputStreamTest::text))
        .expectNext("partial\n")
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(CalledProcessException.class);
          CalledProcessException c = (CalledProcessException) e;
          assertThat(c.returnCode()).isEqualTo(4);
          assertThat(new String(c.stderr(), StandardCharsets.UTF_8)).isEqualTo("cannot open db\n");
          assertThat(c.getMessage()).contains("returned non-zero exit status 4.").contains("cannot open db");
        })
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void aSubscriberThatStopsRequestingBlocksTheChildOnAFullPipe() {
    AtomicLong written = new AtomicLong();
    StepVerifier.create(Command.of("yes").stdin(Redirect.DEVNULL).output(), 1)
        .expectNextCount(1)
        .then(() -> {
          long pid = LeakCheck.children().get(0).pid();
          Await.until("yes blocks on the full pipe", () -> ProcStat.blockedOnPipeWrite(pid));
          written.set(ProcStat.bytesWritten(pid));
          // One chunk delivered plus one pipe's worth: nothing is read ahead of demand.
          assertThat(written.get()).isLessThan(256 * 1024);
        })
        .thenRequest(64)
        .expectNextCount(64)
        .then(() -> {
          long pid = LeakCheck.children().get(0).pid();
          assertThat(ProcStat.bytesWritten(pid)).isGreaterThan(written.get());
        })
        .thenCancel()
        .verify(Duration.ofSeconds(20));
    Await.until("yes is stopped and reaped", () -> LeakCheck.children().isEmpty());
  }

  @Test
  void tenMegabytesOfStderrDoNotBlockAChildWhoseStdoutIsRead() {
    StepVerifier.create(Command.shell("head -c 10000000 /dev/zero >&2; echo done").output().map(OutputStreamTest::text))
        .expectNext("done\n")
        .verifyComplete();
  }

  @Test
  void cancellingMidStreamStopsTheChild() {
    StepVerifier.create(Command.of("yes").stdin(Redirect.DEVNULL).output().take(3))
        .expectNextCount(3)
        .verifyComplete();
    Await.until("yes is stopped and reaped", () -> LeakCheck.children().isEmpty());
  }

  @Test
  void anErrorInTheConsumerStopsTheChild() {
    StepVerifier.create(Command.of("yes").stdin(Redirect.DEVNULL).output().map(b -> {
          throw new IllegalStateException("consumer broke");
        }))
        .expectErrorMessage("consumer broke")
        .verify(Duration.ofSeconds(20));
    Await.until("yes is stopped and reaped", () -> LeakCheck.children().isEmpty());
  }

  @Test
  void aTimeoutStopsTheChildAndFailsTheStreamAfterTheDataSoFar() {
    // On virtual time the timeout fires after the first line arrived, however slow the machine is.
    StepVerifier.withVirtualTime(() -> Command.shell("echo first; exec sleep 60").timeout(Duration.ofMillis(300))
            .output().map(OutputStreamTest::text))
        .expectNext("first\n")
        .thenAwait(Duration.ofMillis(300))
        .expectError(TimeoutExpiredException.class)
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void everyEmittedBufferBelongsToTheSubscriber() {
    // Keep every buffer until the end: a reused buffer would show later bytes in earlier chunks.
    List<ByteBuffer> chunks = Command.of("seq", "1", "200000").output().collectList().block();
    assertThat(chunks.size()).isGreaterThan(1);
    String all = chunks.stream().map(OutputStreamTest::text).collect(Collectors.joining());
    String expected = IntStream.rangeClosed(1, 200000).mapToObj(Integer::toString)
        .collect(Collectors.joining("\n", "", "\n"));
    assertThat(all).isEqualTo(expected);
  }

  @Test
  void stdoutIsPipedEvenWhenRedirectedAndAnExplicitStderrRedirectIsKept() {
    StepVerifier.create(Command.shell("echo out; echo err >&2")
            .stdout(Redirect.DEVNULL)
            .stderr(Redirect.STDOUT)
            .output()
            .map(OutputStreamTest::text)
            .reduce(String::concat))
        .expectNext("out\nerr\n")
        .verifyComplete();
  }

  @Test
  void eachSubscriptionStartsANewProcess() {
    Flux<String> pid = Command.shell("echo $$").output().map(OutputStreamTest::text);
    assertThat(pid.blockLast()).isNotEqualTo(pid.blockLast());
  }

  static String text(ByteBuffer b) {
    return StandardCharsets.UTF_8.decode(b).toString();
  }
}

package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subprocess.testing.Await;
import dev.subprocess.testing.Gate;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Writing a started process's stdin as Python's {@code p.stdin.write(...)} does: several writes that leave stdin
 * open, then the last one ({@code communicate(more)}, {@code writeStdin}, {@code closeStdin}) that closes it; a
 * broken pipe fails a write, as {@code BrokenPipeError} does, but not {@code communicate}, which ignores it.
 */
class StdinWritesTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private static RunningProcess start(Command command) {
    return command.start().block(WAIT);
  }

  private static ByteBuffer bytes(String text) {
    return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(ByteBuffer chunk) {
    return StandardCharsets.UTF_8.decode(chunk).toString();
  }

  @Test
  void writesLeaveStdinOpenUntilCommunicateWritesTheLastAndClosesIt() {
    RunningProcess cat = start(Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE));
    cat.write("one ").block(WAIT);
    cat.write("two ".getBytes(StandardCharsets.UTF_8)).block(WAIT);
    cat.write(Flux.just(bytes("thr"), bytes("ee "))).block(WAIT);
    assertThat(cat.poll()).as("cat waits for the end of its input").isEmpty();
    CompletedProcess done = cat.communicate("four").block(WAIT);
    assertThat(done.stdoutText()).isEqualTo("one two three four");
    assertThat(done.returnCode()).isZero();
    assertThatThrownBy(() -> cat.write("five").block(WAIT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was written or closed before");
  }

  @Test
  void writesSubscribedTogetherAreWrittenInTheirOrder() {
    RunningProcess cat = start(Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE));
    List<Mono<Void>> writes = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      writes.add(cat.write(i + "\n"));
    }
    writes.forEach(Mono::subscribe);
    String expected = IntStream.range(0, 200).mapToObj(i -> i + "\n").collect(Collectors.joining());
    assertThat(cat.communicate().block(WAIT).stdoutText()).isEqualTo(expected);
  }

  @Test
  void aConversationWritesARequestAndReadsTheAnswerInTurn() {
    RunningProcess p = start(Command.of("sh", "-c", "while read line; do echo \"got $line\"; done")
        .stdin(Redirect.PIPE).stdout(Redirect.PIPE));
    StepVerifier.create(p.stdout().map(StdinWritesTest::text))
        .then(() -> p.write("apple\n").subscribe())
        .expectNext("got apple\n")
        .then(() -> p.write("pear\n").subscribe())
        .expectNext("got pear\n")
        .then(() -> p.closeStdin().subscribe())
        .expectComplete()
        .verify(WAIT);
    assertThat(p.exitCode().block(WAIT)).isZero();
  }

  @Test
  void writeStdinAfterWritesClosesAfterThem() {
    RunningProcess cat = start(Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE));
    cat.write("first ").block(WAIT);
    cat.writeStdin(Mono.just(bytes("last"))).block(WAIT);
    assertThat(cat.communicate().block(WAIT).stdoutText()).isEqualTo("first last");
  }

  @Test
  void communicateWithInputAfterTheChildExitedIgnoresTheBrokenPipe() {
    RunningProcess p = start(Command.of("true").stdin(Redirect.PIPE).stdout(Redirect.PIPE));
    assertThat(p.exitCode().block(WAIT)).isZero();
    CompletedProcess done = p.communicate("nobody reads this".getBytes(StandardCharsets.UTF_8)).block(WAIT);
    assertThat(done.returnCode()).isZero();
    assertThat(done.stdout()).isEmpty();
    assertThat(p.communicate().block(WAIT).stdout()).as("a retry still reports stdout").isEmpty();
  }

  @Test
  void communicateWithInputIntoAChildThatNeverReadsIgnoresTheBrokenPipe() {
    RunningProcess p = start(Command.shell("exec 0<&-; echo done").stdin(Redirect.PIPE).stdout(Redirect.PIPE));
    CompletedProcess done = p.communicate(new byte[1 << 20], WAIT).block(WAIT);
    assertThat(done.stdoutText()).isEqualTo("done\n");
    assertThat(done.returnCode()).isZero();
  }

  @Test
  void aRefusedCommunicateLeavesTheStreamsToTheNextCall() {
    RunningProcess p = start(Command.of("echo", "hi").stdin(Redirect.PIPE).stdout(Redirect.PIPE));
    p.closeStdin().block(WAIT);
    assertThatThrownBy(() -> p.communicate("late").block(WAIT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was written or closed before: communicate(input) cannot write it");
    CompletedProcess done = p.communicate().block(WAIT);
    assertThat(done.stdoutText()).isEqualTo("hi\n");
  }

  @Test
  void aWriteAfterTheChildExitedFailsWithABrokenPipe() {
    RunningProcess p = start(Command.of("true").stdin(Redirect.PIPE));
    assertThat(p.exitCode().block(WAIT)).isZero();
    assertThatThrownBy(() -> p.write("x").block(WAIT))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("cannot write to stdin of process " + p.pid() + " [true]")
        .hasMessageContaining("the process has exited")
        .hasMessageContaining("broken pipe");
    assertThatThrownBy(() -> p.writeStdin(Mono.just(bytes("x"))).block(WAIT))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("the process has exited");
    assertThatThrownBy(() -> p.writeStdin(Mono.just(bytes("x"))).block(WAIT))
        .as("after a closing write, stdin is closed")
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("was written or closed before");
  }

  @Test
  void aWriteIntoAPipeTheChildClosedFailsWithABrokenPipe() {
    Gate gate = Gate.in(dir, "gate");
    Path closed = dir.resolve("closed");
    RunningProcess p = start(Command.of("sh", "-c", "exec 0<&-; : > \"$2\"; read go < \"$1\"", "sh", gate.path(),
            closed.toString())
        .stdin(Redirect.PIPE));
    Await.until("the child has closed its stdin", () -> Files.exists(closed));
    assertThatThrownBy(() -> p.write("x").block(WAIT))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("the child closed its end")
        .hasMessageContaining("broken pipe");
    assertThatThrownBy(() -> p.writeStdin(Mono.just(bytes("x"))).block(WAIT))
        .as("the next write finds the pipe broken too")
        .isInstanceOf(UncheckedIOException.class);
    gate.open();
    assertThat(p.exitCode().block(WAIT)).isZero();
  }

  @Test
  void aWriteWhoseInputCompletesWhileThePipeBreaksStillFails() {
    Gate gate = Gate.in(dir, "gate");
    Path closed = dir.resolve("closed");
    RunningProcess p = start(Command.of("sh", "-c", "exec 0<&-; : > \"$2\"; read go < \"$1\"", "sh", gate.path(),
            closed.toString())
        .stdin(Redirect.PIPE));
    Await.until("the child has closed its stdin", () -> Files.exists(closed));
    // Its only buffer is refused, then its completion comes while the refused write is being ended: as the
    // completion of Mono.just(buffer), sent on another thread right after its buffer, may come at worst. The
    // cancel of the refused write is the moment it comes here, every time.
    Publisher<ByteBuffer> completesWhenCancelled = subscriber -> subscriber.onSubscribe(new Subscription() {
      private boolean sent;

      @Override
      public void request(long n) {
        if (!sent) {
          sent = true;
          subscriber.onNext(bytes("x"));
        }
      }

      @Override
      public void cancel() {
        subscriber.onComplete();
      }
    });
    assertThatThrownBy(() -> p.write(completesWhenCancelled).block(WAIT))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("the child closed its end")
        .hasMessageContaining("it had taken 0 bytes before");
    gate.open();
    assertThat(p.exitCode().block(WAIT)).isZero();
  }

  @Test
  void aFailingWriteLeavesStdinOpenForTheNextOne() {
    RunningProcess cat = start(Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE));
    assertThatThrownBy(() -> cat.write(Flux.concat(Mono.just(bytes("kept ")),
            Mono.error(new IllegalArgumentException("no more")))).block(WAIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no more");
    assertThat(cat.communicate("and this").block(WAIT).stdoutText()).isEqualTo("kept and this");
  }

  @Test
  void writesNeedAStdinPipe() {
    RunningProcess p = start(Command.of("true"));
    assertThatThrownBy(() -> p.write("x").block(WAIT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is not piped");
    p.exitCode().block(WAIT);
  }
}

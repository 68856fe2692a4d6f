package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.subprocess.testing.Await;
import dev.subprocess.testing.Gate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

/**
 * Python's timeouts on a started process: {@code wait(timeout)} and {@code communicate(input, timeout)} raise
 * {@code TimeoutExpired} without stopping the child, and a later {@code communicate()} goes on where the first
 * stopped. Every child that must still be running when a timeout expires waits at a {@link Gate} the test opens,
 * so "timed out before X" holds however slow the machine is.
 */
class PopenTimeoutTest {
  private static final Duration SHORT = Duration.ofMillis(200);
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private static RunningProcess start(Command command) {
    return command.start().block(WAIT);
  }

  private static TimeoutExpiredException timesOut(Mono<?> call) {
    TimeoutExpiredException late = catchThrowableOfType(TimeoutExpiredException.class, () -> call.block(WAIT));
    assertThat(late).as("the call timed out").isNotNull();
    return late;
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void waitTimesOutLeavingTheProcessRunningAndCanBeCalledAgain() {
    Gate gate = Gate.in(dir, "gate");
    RunningProcess p = start(Command.of("sh", "-c", "read go < \"$1\"; exit 3", "sh", gate.path()));

    TimeoutExpiredException late = timesOut(p.exitCode(SHORT));
    assertThat(late.timeout()).isEqualTo(SHORT);
    assertThat(late.stdout()).isNull();
    assertThat(late.stderr()).isNull();
    assertThat(late.command()).isEqualTo(p.args());
    assertThat(late.getMessage()).startsWith("Command '[sh, -c, read go < \"$1\"; exit 3, sh, " + gate.path()
        + "]' timed out after 0.2 seconds.");
    assertThat(p.poll()).isEmpty();

    assertThat(timesOut(p.exitCode(SHORT)).timeout()).isEqualTo(SHORT);
    assertThat(timesOut(p.exitCode(Duration.ZERO)).getMessage()).contains("timed out after 0 seconds.");
    assertThat(timesOut(p.exitCode(Duration.ofSeconds(-1))).getMessage()).contains("timed out after -1 seconds.");
    assertThat(p.poll()).isEmpty();

    gate.open();
    assertThat(p.exitCode(WAIT).block(WAIT)).isEqualTo(3);
    assertThat(p.exitCode(Duration.ZERO).block(WAIT)).as("a poll once it has exited").isEqualTo(3);
    assertThat(p.exitCode(Duration.ofSeconds(-1)).block(WAIT)).isEqualTo(3);
  }

  @Test
  void communicateGoesOnAfterATimeoutWithNothingLostOrRepeated() {
    Gate gate = Gate.in(dir, "gate");
    RunningProcess p = start(Command.of("sh", "-c",
            "printf 'pineapple\\n' >&2; read go < \"$1\"; printf 'pear\\n' >&2; cat", "sh", gate.path())
        .stdin(Redirect.PIPE).captureOutput());

    TimeoutExpiredException first = timesOut(p.communicate("banana", SHORT));
    assertThat(first.timeout()).isEqualTo(SHORT);
    assertThat(first.stdout()).as("cat has not run yet").isEmpty();
    assertThat(text(first.stderr())).as("what the child wrote so far").isIn("", "pineapple\n");
    AtomicReference<String> soFar = new AtomicReference<>();
    Await.until("the timeout carries the stderr read so far", () -> {
      soFar.set(text(timesOut(p.communicate(Duration.ZERO)).stderr()));
      return soFar.get().equals("pineapple\n");
    });
    assertThatThrownBy(() -> p.communicate("more", SHORT).block(WAIT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot send input after starting communication");

    gate.open();
    CompletedProcess done = p.communicate().block(WAIT);
    assertThat(done.stdoutText()).isEqualTo("banana");
    assertThat(done.stderrText()).isEqualTo("pineapple\npear\n");
    assertThat(done.returnCode()).isZero();
    CompletedProcess again = p.communicate(SHORT).block(WAIT);
    assertThat(again.stdoutText()).as("a finished communication reports the same").isEqualTo("banana");
    assertThat(again.stderrText()).isEqualTo("pineapple\npear\n");
  }

  @Test
  void aWriteBlockedOnAFullPipeGoesOnAfterTheTimeoutAndEveryByteArrivesOnce() {
    Gate gate = Gate.in(dir, "gate");
    byte[] input = new byte[1 << 20];
    for (int i = 0; i < input.length; i++) {
      input[i] = (byte) (i * 31 + i / 251);
    }
    RunningProcess p = start(Command.of("sh", "-c", "read go < \"$1\"; exec cat", "sh", gate.path())
        .stdin(Redirect.PIPE).stdout(Redirect.PIPE));

    // The child reads nothing before the gate opens, so the write is blocked on the full pipe when this expires.
    TimeoutExpiredException late = timesOut(p.communicate(input, SHORT));
    assertThat(late.stdout()).isEmpty();
    assertThat(late.stderr()).isNull();
    assertThat(p.poll()).isEmpty();

    gate.open();
    CompletedProcess done = p.communicate().block(WAIT);
    assertThat(done.stdout().length).isEqualTo(input.length);
    assertThat(Arrays.equals(done.stdout(), input)).as("the input, byte for byte").isTrue();
    assertThat(done.returnCode()).isZero();
  }

  @Test
  void aCommunicateCancelledByReactorsTimeoutLosesNothingEither() {
    Gate gate = Gate.in(dir, "gate");
    RunningProcess p = start(Command.of("sh", "-c", "read go < \"$1\"; exec cat", "sh", gate.path())
        .stdin(Redirect.PIPE).stdout(Redirect.PIPE));
    assertThatThrownBy(() -> p.communicate("kept").timeout(SHORT).block(WAIT))
        .hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
    gate.open();
    CompletedProcess done = p.communicate().block(WAIT);
    assertThat(done.stdoutText()).isEqualTo("kept");
  }

  @Test
  void outputReadBeforeEachTimeoutIsInTheFinalResult() {
    Gate gate = Gate.in(dir, "gate");
    int burst = 64 * 1024;
    RunningProcess p = start(Command.of("sh", "-c",
            "for i in 1 2 3 4; do " + Gate.AGAIN + "; head -c " + burst + " /dev/zero | tr '\\0' \"$i\"; done",
            "sh", gate.path())
        .stdin(Redirect.DEVNULL).stdout(Redirect.PIPE));

    assertThat(timesOut(p.communicate(SHORT)).stdout()).as("before the first burst").isEmpty();
    for (int k = 1; k <= 3; k++) {
      gate.open();
      int expected = k * burst;
      Await.until("the timeout carries " + expected + " bytes",
          () -> timesOut(p.communicate(Duration.ZERO)).stdout().length == expected);
      assertThat(timesOut(p.communicate(SHORT)).stdout()).hasSize(expected);
    }
    gate.open();
    CompletedProcess done = p.communicate().block(WAIT);
    assertThat(done.stdout()).hasSize(262_144);
    for (int k = 0; k < 4; k++) {
      byte[] expected = new byte[burst];
      Arrays.fill(expected, (byte) ('1' + k));
      assertThat(Arrays.copyOfRange(done.stdout(), k * burst, (k + 1) * burst)).as("burst %d", k + 1)
          .isEqualTo(expected);
    }
  }

  @Test
  void aChildThatClosedItsStdoutTimesOutUntilItExits() {
    Gate gate = Gate.in(dir, "gate");
    RunningProcess p = start(Command.of("sh", "-c", "exec 1>&-; read go < \"$1\"", "sh", gate.path())
        .stdin(Redirect.DEVNULL).stdout(Redirect.PIPE));
    for (int i = 0; i < 3; i++) {
      TimeoutExpiredException late = timesOut(p.communicate(SHORT));
      assertThat(late.stdout()).isEmpty();
      assertThat(late.stderr()).isNull();
    }
    gate.open();
    CompletedProcess done = p.communicate(WAIT).block(WAIT);
    assertThat(done.stdout()).isEmpty();
    assertThat(done.stderr()).isNull();
    assertThat(done.returnCode()).isZero();
  }

  @Test
  void killAfterATimeoutAndCommunicateReturnsWhatWasReadAndMinusNine() {
    RunningProcess p = start(Command.shell("echo partial; exec sleep 3600").stdout(Redirect.PIPE));
    assertThat(text(timesOut(p.communicate(SHORT)).stdout())).isIn("", "partial\n");
    Await.until("partial is read", () -> "partial\n".equals(text(timesOut(p.communicate(Duration.ZERO)).stdout())));
    p.kill();
    CompletedProcess done = p.communicate().block(WAIT);
    assertThat(done.stdoutText()).isEqualTo("partial\n");
    assertThat(done.returnCode()).isEqualTo(-Signals.SIGKILL);
  }

  @Test
  void aCommandTimeoutStillStopsTheProcessAndFailsCommunicateWithItsOwnTimeout() {
    Duration limit = Duration.ofMillis(300);
    RunningProcess p = start(Command.shell("echo started; exec sleep 3600").stdout(Redirect.PIPE).timeout(limit));
    TimeoutExpiredException stopped = timesOut(p.communicate(WAIT));
    assertThat(stopped.timeout()).isEqualTo(limit);
    assertThat(text(stopped.stdout())).as("what was read before it was stopped").isIn("", "started\n");
    assertThat(p.poll()).hasValue(-Signals.SIGTERM);
  }

  @Test
  void communicateWritesOnlyTheRemainingBytesOfABufferOfAnyKind() {
    byte[] payload = "the remaining bytes".getBytes(StandardCharsets.UTF_8);
    ByteBuffer direct = ByteBuffer.allocateDirect(payload.length + 8);
    direct.put("skipped!".getBytes(StandardCharsets.UTF_8)).put(payload).flip().position(8);
    ByteBuffer heap = ByteBuffer.wrap(("skip" + "the remaining bytes" + "tail").getBytes(StandardCharsets.UTF_8),
        4, payload.length);
    ByteBuffer slice = ByteBuffer.wrap(("xx" + "the remaining bytes").getBytes(StandardCharsets.UTF_8))
        .position(2).slice();
    for (ByteBuffer input : new ByteBuffer[] {direct, direct.asReadOnlyBuffer(), heap, heap.asReadOnlyBuffer(),
        slice}) {
      int position = input.position();
      RunningProcess cat = start(Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE));
      CompletedProcess done = cat.communicate(input, WAIT).block(WAIT);
      assertThat(done.stdoutText()).as("%s", input).isEqualTo("the remaining bytes");
      assertThat(input.position()).as("the caller's position").isEqualTo(position);
    }
  }

  @Test
  void communicateEncodesTextWithTheCommandsEncodingAndRefusesWhatItCannotEncode() {
    RunningProcess latin = start(Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE)
        .encoding(StandardCharsets.ISO_8859_1));
    assertThat(latin.communicate("café").block(WAIT).stdout())
        .containsExactly('c', 'a', 'f', 0xE9);

    RunningProcess ascii = start(Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE)
        .encoding(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> ascii.communicate("café", SHORT).block(WAIT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("US-ASCII")
        .hasMessageContaining("cannot be encoded");
    assertThat(ascii.communicate().block(WAIT).stdout()).as("the refused call took nothing").isEmpty();
  }
}

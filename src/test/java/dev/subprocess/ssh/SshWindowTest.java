package dev.subprocess.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subprocess.Command;
import dev.subprocess.CompletedProcess;
import dev.subprocess.Redirect;
import dev.subprocess.RunningProcess;
import dev.subprocess.testing.SshServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

/**
 * stdout and stderr of a remote process share one SSH channel window: a stream left unread must not hold the
 * other. The promise is the local one: what an operation does not read is drained, and an unread stream of a
 * started process is held up to its unread buffer limit.
 */
class SshWindowTest {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  /** Several times the channel window (2 MiB), so that an unread stream would fill it. */
  private static final int BIG = 8 * 1024 * 1024;
  private static SshHost host;

  @BeforeAll
  static void connect() {
    host = SshServer.get().host().build();
  }

  @AfterAll
  static void close() {
    host.close();
  }

  private static long count(Flux<ByteBuffer> chunks) {
    return chunks.map(ByteBuffer::remaining).reduce(0L, (a, b) -> a + b).block(LIMIT);
  }

  private static String zeros(String fd) {
    return "head -c " + BIG + " /dev/zero" + fd;
  }

  @Test
  void outputReadsStdoutWhileTheRemoteWritesLotsOfStderr() {
    String out = Command.shell(zeros(" >&2") + "; echo done").on(host).output()
        .map(b -> StandardCharsets.UTF_8.decode(b).toString()).reduce("", String::concat).block(LIMIT);
    assertThat(out).isEqualTo("done\n");
  }

  @Test
  void capturingBothStreamsReadsThemTogether() {
    CompletedProcess done = Command.shell(zeros(" >&2") + "; " + zeros("") + "; " + zeros(" >&2")).on(host)
        .captureOutput().run().block(LIMIT);
    assertThat(done.stdout()).hasSize(BIG);
    assertThat(done.stderr()).hasSize(2 * BIG);
  }

  @Test
  void aStartedProcessReadForStdoutOnlyHoldsItsStderr() {
    RunningProcess p = Command.shell(zeros(" >&2") + "; " + zeros("")).stdout(Redirect.PIPE)
        .stderr(Redirect.PIPE).on(host).start().block(LIMIT);
    assertThat(count(p.stdout())).isEqualTo(BIG);
    assertThat(p.exitCode().block(LIMIT)).isZero();
    assertThat(count(p.stderr())).isEqualTo(BIG);
  }

  @Test
  void aStartedProcessReadForStderrOnlyHoldsItsStdout() {
    RunningProcess p = Command.shell(zeros("") + "; " + zeros(" >&2")).stdout(Redirect.PIPE)
        .stderr(Redirect.PIPE).on(host).start().block(LIMIT);
    assertThat(count(p.stderr())).isEqualTo(BIG);
    assertThat(p.exitCode().block(LIMIT)).isZero();
    assertThat(count(p.stdout())).isEqualTo(BIG);
  }

  @Test
  void pastTheUnreadBufferLimitTheUnreadStreamIsDiscardedAndTheProcessRunsOn() {
    RunningProcess p = Command.shell(zeros(" >&2") + "; " + zeros("")).unreadBufferLimit(1024 * 1024)
        .stdout(Redirect.PIPE).stderr(Redirect.PIPE).on(host).start().block(LIMIT);
    assertThat(count(p.stdout())).isEqualTo(BIG);
    assertThat(p.exitCode().block(LIMIT)).isZero();
    assertThatThrownBy(() -> count(p.stderr())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("unreadBufferLimit");
  }
}

package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The library's threads are Reactor non-blocking threads: a subscriber that blocks on the thread that signals it
 * is refused at once, on both backends, instead of freezing every other process of the JVM.
 */
class LibraryThreadTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * Starts a child that prints only once it is told to, subscribes to its stdout (the read finds the pipe empty,
   * so the data arrives on a library thread), then tells it; returns what {@code block()} downstream did.
   */
  private static Throwable blockOnTheThreadThatDeliversOutput() throws Exception {
    RunningProcess p = Command.shell("read go; echo \"$go\"").stdin(Redirect.PIPE).stdout(Redirect.PIPE).start()
        .block(WAIT);
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    p.stdout()
        .map(chunk -> Command.of("echo", "y").captureOutput().run().block(WAIT))
        .subscribe(done -> outcome.complete(null), outcome::complete);
    p.writeStdin(Mono.just(ByteBuffer.wrap("go\n".getBytes(StandardCharsets.UTF_8)))).block(WAIT);
    Throwable result = outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(p.exitCode().block(WAIT)).isZero();
    return result;
  }

  @Test
  void blockOnALibraryThreadIsRefusedAtOnce() throws Exception {
    assertThat(blockOnTheThreadThatDeliversOutput())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("block()/blockFirst()/blockLast() are blocking, which is not supported in thread")
        .hasMessageContaining("subprocess-");
  }

  @Test
  void aRefusedBlockFreezesNoOtherProcess() throws Exception {
    blockOnTheThreadThatDeliversOutput();
    assertThat(Command.of("true").run().block(WAIT).returnCode()).isZero();
    assertThat(Command.of("echo", "still here").lines().collectList().block(WAIT)).containsExactly("still here");
  }

  @Test
  void blockingWorkMovedOffTheLibrarysThreadsRuns() {
    assertThat(Command.of("seq", "1", "3").lines()
            .publishOn(Schedulers.boundedElastic())
            .map(line -> Command.of("echo", "y" + line).captureOutput().run().block(WAIT).stdoutText().trim())
            .collectList()
            .block(WAIT))
        .containsExactly("y1", "y2", "y3");
  }
}

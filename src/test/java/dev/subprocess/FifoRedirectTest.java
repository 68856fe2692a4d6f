package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * A redirect to or from a FIFO waits for the FIFO's other end without blocking the subscribing thread, and a
 * subscription disposed while it waits leaves no thread stuck in {@code open()}.
 */
class FifoRedirectTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private Path fifo;

  @BeforeEach
  void makeAFifo() {
    fifo = dir.resolve("fifo");
    Command.of("mkfifo", fifo.toString()).check().run().block(WAIT);
  }

  /** Subscribes on a thread of the test's own and returns once subscribe returned (it must not block there). */
  private static <T> CompletableFuture<T> subscribeWithoutBlocking(Mono<T> mono) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    CompletableFuture<Disposable> subscribed = CompletableFuture.supplyAsync(
        () -> mono.subscribe(result::complete, result::completeExceptionally));
    subscribed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    return result;
  }

  private static boolean fifoThreadsAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().startsWith("subprocess-fifo-"));
  }

  @Test
  void aRedirectToAFifoWaitsForItsReaderOffTheSubscribingThread() throws Exception {
    CompletableFuture<CompletedProcess> run =
        subscribeWithoutBlocking(Command.of("echo", "through the fifo").stdout(Redirect.to(fifo)).run());
    assertThat(Files.readString(fifo)).isEqualTo("through the fifo\n");
    assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS).returnCode()).isZero();
  }

  @Test
  void aRedirectFromAFifoWaitsForItsWriterOffTheSubscribingThread() throws Exception {
    CompletableFuture<CompletedProcess> run =
        subscribeWithoutBlocking(Command.of("cat").stdin(Redirect.from(fifo)).captureOutput().run());
    Files.writeString(fifo, "into the fifo\n", StandardCharsets.UTF_8);
    assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS).stdoutText()).isEqualTo("into the fifo\n");
  }

  @Test
  void disposingAStartWaitingForAFifoLeavesNoThreadStuck() throws Exception {
    CompletableFuture<Disposable> subscribed = CompletableFuture.supplyAsync(
        () -> Command.of("echo", "never read").stdout(Redirect.to(fifo)).run().subscribe());
    Disposable run = subscribed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Await.until("the start waits for a reader of the FIFO", FifoRedirectTest::fifoThreadsAlive);
    run.dispose();
    Await.until("no thread waits in an open of the FIFO", () -> !fifoThreadsAlive());
  }
}

package dev.subprocess.tck;

import dev.subprocess.Command;
import dev.subprocess.Redirect;
import dev.subprocess.RunningProcess;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The TCK for {@link RunningProcess#stdout()} subscribed after the stream was held for it: {@code poll()} starts
 * holding the unread stdout, so the subscriber gets the held line first, then the rest on its demand. The child
 * writes that line, then waits for a word on stdin, given when the stream is subscribed, before it becomes an
 * endless writer ({@code yes}): what is held stays one line, however slow the subscriber. take(n) ends the stream.
 */
public class HeldStdoutTckTest extends UnicastProcessPublisherVerification {
  private static final byte[] GO = "go\n".getBytes(StandardCharsets.US_ASCII);

  @Override
  public Publisher<ByteBuffer> createPublisher(long elements) {
    RunningProcess p = Command.shell("echo held; read go; exec yes").stdin(Redirect.PIPE)
        .stdout(Redirect.PIPE).start().block(Duration.ofSeconds(20));
    started.add(p);
    p.poll();
    return p.stdout()
        .doOnSubscribe(s -> p.writeStdin(Mono.fromSupplier(() -> ByteBuffer.wrap(GO))).subscribe())
        .take(elements);
  }

  @Override
  public Publisher<ByteBuffer> createFailedPublisher() {
    RunningProcess p = Command.of("true").stdin(Redirect.DEVNULL).stdout(Redirect.DEVNULL).start()
        .block(Duration.ofSeconds(20));
    started.add(p);
    return p.stdout();
  }

  @Override
  public long maxElementsFromPublisher() {
    return Integer.MAX_VALUE;
  }
}

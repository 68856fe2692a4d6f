package dev.subprocess.tck;

import dev.subprocess.Command;
import java.nio.ByteBuffer;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/** The TCK for {@link Command#pipe} exactly as returned: {@code cat} of nothing, or of one short line. */
public class PipeExactTckTest extends ProcessPublisherVerification<ByteBuffer> {
  @Override
  public Publisher<ByteBuffer> createPublisher(long elements) {
    return Command.of("cat").pipe(elements == 0 ? Flux.empty() : ByteStreams.oneLine());
  }

  @Override
  public Publisher<ByteBuffer> createFailedPublisher() {
    return Command.of("/nonexistent/tck-program").pipe(Flux.never());
  }

  @Override
  public long maxElementsFromPublisher() {
    return 1;
  }
}

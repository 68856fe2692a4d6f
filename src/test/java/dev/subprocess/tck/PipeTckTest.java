package dev.subprocess.tck;

import dev.subprocess.Command;
import java.nio.ByteBuffer;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/** The TCK for {@link Command#pipe} of {@code cat} fed without end, ended after n chunks by take(n). */
public class PipeTckTest extends ProcessPublisherVerification<ByteBuffer> {
  @Override
  public Publisher<ByteBuffer> createPublisher(long elements) {
    return Command.of("cat").pipe(ByteStreams.endless()).take(elements);
  }

  @Override
  public Publisher<ByteBuffer> createFailedPublisher() {
    return Command.of("/nonexistent/tck-program").pipe(Flux.never());
  }

  @Override
  public long maxElementsFromPublisher() {
    return Integer.MAX_VALUE;
  }
}

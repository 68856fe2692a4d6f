package dev.subprocess.tck;

import dev.subprocess.Command;
import dev.subprocess.Redirect;
import java.nio.ByteBuffer;
import org.reactivestreams.Publisher;

/** The TCK for {@link Command#output()} of an endless writer ({@code yes}), ended after n chunks by take(n). */
public class OutputTckTest extends ProcessPublisherVerification<ByteBuffer> {
  @Override
  public Publisher<ByteBuffer> createPublisher(long elements) {
    return Command.of("yes").stdin(Redirect.DEVNULL).output().take(elements);
  }

  @Override
  public Publisher<ByteBuffer> createFailedPublisher() {
    return Command.of("/nonexistent/tck-program").stdin(Redirect.DEVNULL).output();
  }

  @Override
  public long maxElementsFromPublisher() {
    return Integer.MAX_VALUE;
  }
}

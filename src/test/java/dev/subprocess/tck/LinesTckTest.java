package dev.subprocess.tck;

import dev.subprocess.Command;
import dev.subprocess.Redirect;
import org.reactivestreams.Publisher;

/** The TCK for {@link Command#lines()} exactly as returned: {@code seq 1 n} prints exactly n lines. */
public class LinesTckTest extends ProcessPublisherVerification<String> {
  @Override
  public Publisher<String> createPublisher(long elements) {
    return Command.of("seq", "1", Long.toString(elements)).stdin(Redirect.DEVNULL).lines();
  }

  @Override
  public Publisher<String> createFailedPublisher() {
    return Command.of("/nonexistent/tck-program").stdin(Redirect.DEVNULL).lines();
  }

  @Override
  public long maxElementsFromPublisher() {
    return Integer.MAX_VALUE;
  }
}

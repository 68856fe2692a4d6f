package dev.subprocess.tck;

import dev.subprocess.Command;
import dev.subprocess.Redirect;
import java.nio.ByteBuffer;
import org.reactivestreams.Publisher;

/** The TCK for {@link Command#output()} exactly as returned, for the element counts a process can promise: 0, 1. */
public class OutputExactTckTest extends ProcessPublisherVerification<ByteBuffer> {
  @Override
  public Publisher<ByteBuffer> createPublisher(long elements) {
    Command command = elements == 0 ? Command.of("true") : Command.of("echo", "x");
    return command.stdin(Redirect.DEVNULL).output();
  }

  @Override
  public Publisher<ByteBuffer> createFailedPublisher() {
    return Command.of("/nonexistent/tck-program").stdin(Redirect.DEVNULL).output();
  }

  @Override
  public long maxElementsFromPublisher() {
    return 1;
  }
}

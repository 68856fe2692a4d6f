package dev.subprocess.tck;

import dev.subprocess.Command;
import dev.subprocess.Redirect;
import dev.subprocess.RunningProcess;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.reactivestreams.Publisher;

/**
 * The TCK for {@link RunningProcess#stdout()} of a started {@code yes}, ended after n chunks by take(n). One
 * subscriber per stream, as documented: the TCK's optional multi-subscriber rules are then not verified.
 */
public class StdoutTckTest extends UnicastProcessPublisherVerification {
  @Override
  public Publisher<ByteBuffer> createPublisher(long elements) {
    RunningProcess p = Command.of("yes").stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).start()
        .block(Duration.ofSeconds(20));
    started.add(p);
    return p.stdout().take(elements);
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

package dev.subprocess.tck;

import dev.subprocess.Command;
import dev.subprocess.Redirect;
import dev.subprocess.RunningProcess;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.reactivestreams.Publisher;

/** The TCK for {@link RunningProcess#stdout()} exactly as returned: {@code true} (no chunk) or {@code echo x}. */
public class StdoutExactTckTest extends UnicastProcessPublisherVerification {
  @Override
  public Publisher<ByteBuffer> createPublisher(long elements) {
    Command command = elements == 0 ? Command.of("true") : Command.of("echo", "x");
    RunningProcess p = command.stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).start().block(Duration.ofSeconds(20));
    started.add(p);
    return p.stdout();
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
    return 1;
  }
}

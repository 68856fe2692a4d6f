package dev.subprocess.pool;

import dev.subprocess.Command;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.reactivestreams.Publisher;

/** What a pool was built with, frozen: the workers' command with its three pipes, the framing and the limits. */
record PoolSettings<Q, R>(
    Command command,
    Framing<Q, R> framing,
    int minWorkers,
    int maxWorkers,
    int pendingLimit,
    Duration requestTimeout,
    int maxRequestsPerWorker,
    Duration idleTimeout,
    Function<? super Worker<Q, R>, ? extends Publisher<Boolean>> healthCheck,
    Duration healthCheckInterval,
    Duration closeGrace,
    int startFailureLimit,
    Duration restartDelay) {

  Charset charset() {
    return command.encoding();
  }

  List<String> argv() {
    return command.args();
  }

  Path workingDirectory() {
    return command.workingDirectory();
  }

  ByteBuffer encode(Q request) {
    ByteBuffer frame = framing.encode(request, charset());
    if (frame == null) {
      throw new NullPointerException("the framing " + framing + " encoded a request as null");
    }
    return frame;
  }
}

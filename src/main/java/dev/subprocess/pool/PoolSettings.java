package dev.subprocess.pool;

import dev.subprocess.Command;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.reactivestreams.Publisher;

/**
 * What a pool was built with, frozen: the workers' command with its three pipes, the framing and the limits, the
 * longest line of the line framing among them.
 */
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
    Duration restartDelay,
    int maxLineLength) {

  Charset charset() {
    return command.encoding();
  }

  List<String> argv() {
    return command.args();
  }

  Path workingDirectory() {
    return command.workingDirectory();
  }

  /** Returns a decoder for one worker's stdout: the line framing's bounded by {@code maxLineLength}. */
  Framing.Decoder<R> newDecoder() {
    if (framing instanceof LineFraming lines) {
      @SuppressWarnings("unchecked")
      Framing.Decoder<R> decoder = (Framing.Decoder<R>) lines.newDecoder(charset(), maxLineLength);
      return decoder;
    }
    return framing.newDecoder(charset());
  }

  ByteBuffer encode(Q request) {
    ByteBuffer frame = framing.encode(request, charset());
    if (frame == null) {
      throw new NullPointerException("the framing " + framing + " encoded a request as null");
    }
    return frame;
  }
}

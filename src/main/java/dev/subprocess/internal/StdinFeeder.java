package dev.subprocess.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Writes a publisher of buffers into a child's stdin, one buffer at a time: the next buffer is requested only
 * once the previous one is in the pipe, so a child that reads slowly slows the publisher down. Closes stdin at
 * the end. A child that stops reading (broken pipe) ends the feed quietly, as Python's {@code communicate} does.
 */
final class StdinFeeder implements CoreSubscriber<ByteBuffer>, PipeSink.WriteHandler {
  private static final Logger log = LoggerFactory.getLogger(StdinFeeder.class);

  private final PipeSink sink;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Sinks.Empty<Void> failure = Sinks.empty();
  private volatile Subscription subscription;
  private volatile boolean stopped;
  private long written;

  StdinFeeder(PipeSink sink) {
    this.sink = sink;
  }

  @Override
  public void onSubscribe(Subscription s) {
    subscription = s;
    if (stopped) {
      s.cancel();
    } else {
      s.request(1);
    }
  }

  @Override
  public void onNext(ByteBuffer data) {
    if (stopped) {
      return;
    }
    if (!data.hasRemaining()) {
      subscription.request(1);
      return;
    }
    written += data.remaining();
    sink.write(data, this);
  }

  @Override
  public void onWritten() {
    if (!stopped) {
      subscription.request(1);
    }
  }

  @Override
  public void onBroken(Throwable error) {
    log.debug("stdin closed by the child after {} bytes: {}", written, error.toString());
    stop();
  }

  @Override
  public void onError(Throwable error) {
    close();
    if (!stopped) {
      failure.tryEmitError(error);
    }
  }

  @Override
  public void onComplete() {
    close();
  }

  /** Never completes; fails when the input publisher failed, which fails the run. */
  Mono<Void> failure() {
    return failure.asMono();
  }

  /** Stops feeding: cancels the input publisher and closes stdin. */
  void stop() {
    stopped = true;
    Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
    close();
  }

  private void close() {
    if (closed.compareAndSet(false, true)) {
      sink.close();
    }
  }
}

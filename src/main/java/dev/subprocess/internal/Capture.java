package dev.subprocess.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Reads a whole output stream into memory, or keeps only its last bytes: how {@code run()} captures a piped
 * stream, and how a stream nobody reads is drained so that it never blocks the child.
 */
final class Capture implements CoreSubscriber<ByteBuffer> {
  /** Keep every byte. */
  static final int UNLIMITED = Integer.MAX_VALUE;
  /** How many bytes a tail keeps: plenty for the last lines of an error message. */
  static final int TAIL = 64 * 1024;

  private final int limit;
  private final Sinks.Empty<Void> done = Sinks.empty();
  private byte[] bytes = new byte[0];
  private int size;
  private volatile Subscription subscription;

  private Capture(int limit) {
    this.limit = limit;
  }

  /** Subscribes a capture keeping at most {@code limit} bytes to {@code stream}; null for a null stream. */
  static Capture of(PipePublisher stream, int limit) {
    if (stream == null) {
      return null;
    }
    Capture capture = new Capture(limit);
    stream.subscribe(capture);
    return capture;
  }

  /** Returns a capture keeping at most {@code limit} bytes, for the caller to subscribe. */
  static Capture unsubscribed(int limit) {
    return new Capture(limit);
  }

  /** Completes when {@code capture}'s stream has ended; at once for a null capture. */
  static Mono<Void> done(Capture capture) {
    return capture == null ? Mono.empty() : capture.done.asMono();
  }

  /** Returns a copy of what {@code capture} kept, or null for a null capture. */
  static byte[] bytes(Capture capture) {
    return capture == null ? null : capture.bytes();
  }

  @Override
  public void onSubscribe(Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public synchronized void onNext(ByteBuffer chunk) {
    int n = chunk.remaining();
    if (n >= limit) {
      chunk.position(chunk.limit() - limit);
      bytes = new byte[limit];
      chunk.get(bytes);
      size = limit;
      return;
    }
    if (size + n > limit) {
      int drop = size + n - limit;
      System.arraycopy(bytes, drop, bytes, 0, size - drop);
      size -= drop;
    }
    if (size + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, (int) Math.min(limit, Math.max(size + n, (long) bytes.length * 2)));
    }
    chunk.get(bytes, size, n);
    size += n;
  }

  @Override
  public void onError(Throwable error) {
    done.tryEmitError(error);
  }

  @Override
  public void onComplete() {
    done.tryEmitEmpty();
  }

  /** Returns a copy of what was kept so far. */
  synchronized byte[] bytes() {
    return Arrays.copyOf(bytes, size);
  }

  /** Stops reading; the stream's pipe is closed. */
  void cancel() {
    Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}

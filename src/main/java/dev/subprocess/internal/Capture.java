package dev.subprocess.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Reads a whole output stream into memory, or keeps only its last bytes: how {@code run()} captures a piped
 * stream and how an unread stream is drained so that it never blocks the child.
 */
final class Capture implements CoreSubscriber<ByteBuffer> {
  /** How many bytes a tail capture keeps: enough for the last lines of an error message. */
  static final int TAIL_BYTES = 64 * 1024;

  private final int limit;
  private final Sinks.Empty<Void> done = Sinks.empty();
  private byte[] bytes = new byte[0];
  private int size;
  private long total;
  private Subscription subscription;

  private Capture(int limit) {
    this.limit = limit;
  }

  /** Returns a capture that keeps every byte. */
  static Capture whole() {
    return new Capture(Integer.MAX_VALUE);
  }

  /** Returns a capture that keeps only the last {@link #TAIL_BYTES} bytes. */
  static Capture tail() {
    return new Capture(TAIL_BYTES);
  }

  @Override
  public void onSubscribe(Subscription s) {
    subscription = s;
    s.request(Long.MAX_VALUE);
  }

  @Override
  public synchronized void onNext(ByteBuffer chunk) {
    int n = chunk.remaining();
    total += n;
    if (limit != Integer.MAX_VALUE && n >= limit) {
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

  /** Completes when the stream has ended, or fails when reading it failed. */
  Mono<Void> done() {
    return done.asMono();
  }

  /** Returns a copy of what was kept so far. */
  synchronized byte[] bytes() {
    return Arrays.copyOf(bytes, size);
  }

  /** Returns how many bytes went through, kept or not. */
  synchronized long total() {
    return total;
  }

  /** Stops reading; the stream's pipe is closed. */
  void cancel() {
    Subscription s = subscription;
    if (s != null) {
      s.cancel();
    }
  }
}

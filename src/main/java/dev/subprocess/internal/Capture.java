package dev.subprocess.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.LongFunction;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Reads a whole output stream into memory, or keeps only its last bytes: how {@code run()} captures a piped
 * stream, and how a stream nobody reads is drained so that it never blocks the child.
 */
final class Capture implements CoreSubscriber<ByteBuffer> {
  /** Keep every byte, up to the most an array holds. */
  static final int UNLIMITED = Integer.MAX_VALUE;
  /** The most bytes an array can hold on common JVMs, and so the most a capture keeps. */
  static final int MAX_ARRAY = Integer.MAX_VALUE - 8;
  /** How many bytes a tail keeps: plenty for the last lines of an error message. */
  static final int TAIL = 64 * 1024;
  /** Past this many bytes a capture that keeps everything holds them in a {@link Spill}, not a growing array. */
  static final int SPILL_FROM = 1 << 20;

  private final int limit;
  /** Whether this capture keeps every byte and fails past its limit, rather than keeping the last bytes. */
  private final boolean keepAll;
  private final LongFunction<RuntimeException> overflow;
  private static final byte[] EMPTY = new byte[0];

  private final Sinks.Empty<Void> done = Sinks.empty();
  private byte[] bytes = EMPTY;
  private int size;
  /** Where a large capture's bytes are, or null while they fit in {@link #bytes}. */
  private Spill spill;
  /** Whether {@link #bytes} was handed over by {@link #bytes()}: it belongs to the caller now. */
  private boolean handedOver;
  private boolean failed;
  private volatile Subscription subscription;

  private Capture(int limit, boolean keepAll, LongFunction<RuntimeException> overflow) {
    this.limit = Math.min(limit, MAX_ARRAY);
    this.keepAll = keepAll;
    this.overflow = overflow;
  }

  /**
   * Subscribes to {@code stream} a capture keeping its last {@code limit} bytes, or every byte for
   * {@link #UNLIMITED}; null for a null stream.
   */
  static Capture of(PipePublisher stream, int limit) {
    if (stream == null) {
      return null;
    }
    Capture capture = unsubscribed(limit);
    stream.subscribe(capture);
    return capture;
  }

  /**
   * Subscribes to {@code stream} a capture keeping every byte, which fails with {@code overflow} (given the limit)
   * once the stream brings more than {@code max} bytes, or more than an array holds; null for a null stream.
   */
  static Capture all(PipePublisher stream, int max, LongFunction<RuntimeException> overflow) {
    if (stream == null) {
      return null;
    }
    Capture capture = new Capture(max, true, overflow);
    stream.subscribe(capture);
    return capture;
  }

  /** Returns a capture keeping at most {@code limit} bytes (every byte for {@link #UNLIMITED}), to subscribe. */
  static Capture unsubscribed(int limit) {
    if (limit == UNLIMITED) {
      return new Capture(MAX_ARRAY, true, max -> new IllegalStateException(
          "the output exceeded " + max + " bytes, the most a byte array holds: read it as a stream instead"));
    }
    return new Capture(limit, false, null);
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
  public void onNext(ByteBuffer chunk) {
    RuntimeException tooMuch = null;
    synchronized (this) {
      if (failed) {
        return;
      }
      int n = chunk.remaining();
      if (keepAll) {
        if ((long) size + n > limit) {
          tooMuch = overflow.apply(limit);
          failed = true;
          release();
        } else if (spill != null || (long) size + n > SPILL_FROM) {
          spill(chunk, n);
        } else {
          append(chunk, n);
        }
      } else {
        keepTail(chunk, n);
      }
    }
    if (tooMuch != null) {
      cancel();
      done.tryEmitError(tooMuch);
    }
  }

  private void keepTail(ByteBuffer chunk, int n) {
    if (n >= limit) {
      chunk.position(chunk.limit() - limit);
      bytes = new byte[limit];
      chunk.get(bytes);
      size = limit;
      return;
    }
    if ((long) size + n > limit) {
      int drop = size + n - limit;
      System.arraycopy(bytes, drop, bytes, 0, size - drop);
      size -= drop;
    }
    append(chunk, n);
  }

  /** Appends {@code n} bytes to the spill, moving what the array held there first. */
  private void spill(ByteBuffer chunk, int n) {
    if (spill == null) {
      spill = new Spill();
      spill.append(bytes, size);
      bytes = EMPTY;
    }
    spill.append(chunk, n);
    size += n;
  }

  /**
   * Lets go at once of what {@code capture} kept and of what its stream still brings, for a run that ended
   * without reading it (failed or cancelled): the bytes outside the heap would otherwise wait for the garbage
   * collector, which does not see them. Nothing for a null capture.
   */
  static void discard(Capture capture) {
    if (capture != null) {
      synchronized (capture) {
        capture.failed = true;
        capture.release();
      }
    }
  }

  /** Lets go of what was kept, in the heap and outside it. */
  private void release() {
    bytes = EMPTY;
    size = 0;
    if (spill != null) {
      spill.free();
      spill = null;
    }
  }

  /** Appends {@code n} bytes, growing the array by doubling, never past the limit: the caller checked the room. */
  private void append(ByteBuffer chunk, int n) {
    int needed = size + n;
    if (needed > bytes.length || handedOver) {
      handedOver = false;
      long grown = Math.max(needed, (long) bytes.length * 2);
      bytes = Arrays.copyOf(bytes, (int) Math.min(limit, grown));
    }
    chunk.get(bytes, size, n);
    size = needed;
  }

  @Override
  public void onError(Throwable error) {
    synchronized (this) {
      // Let go of what was kept: nobody will read it, and after an OutOfMemoryError the memory is needed.
      release();
    }
    done.tryEmitError(error);
  }

  @Override
  public void onComplete() {
    done.tryEmitEmpty();
  }

  /**
   * Returns what was kept so far, in an array the caller owns. A spilled capture is copied once into an array of
   * its exact size, which is handed over as it is (a later call gets a copy): no second copy of a large output.
   */
  synchronized byte[] bytes() {
    if (spill != null) {
      bytes = spill.toArray();
      spill = null;
    }
    if (keepAll && bytes.length == size && !handedOver && size > 0) {
      handedOver = true;
      return bytes;
    }
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

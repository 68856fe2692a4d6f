package dev.subprocess.internal;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Consumer;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import reactor.core.Disposable;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;

/**
 * Publishes a child's output pipe as chunks, reading it only while the subscriber has demand: one read is
 * issued per requested chunk, so nothing beyond demand is ever held and a consumer that stops requesting
 * leaves the child blocked on a full pipe.
 *
 * <p>One subscriber only; a second one gets {@link IllegalStateException}. Once the process has exited, a read that brings nothing for the drain timeout ends
 * the stream, so that a descendant holding the pipe open cannot hold the subscriber forever.
 *
 * <p>Signals are serial (rule 1.3): a bad {@code request(n <= 0)} is reported by whichever thread next holds the
 * stream, never while an {@code onNext} is running. A subscriber that throws (a user operator's
 * {@code NoClassDefFoundError}, an {@code OutOfMemoryError}) does not freeze the stream on the backend's thread:
 * the pipe is closed, the subscriber gets {@code onError} when it has not ended yet, the failure handler stops
 * the process, and a JVM-fatal error is then thrown on, as Reactor's {@code Exceptions.throwIfJvmFatal} does.
 */
final class PipePublisher implements Publisher<ByteBuffer> {
  private final PipeSource source;
  private final String description;
  private final Consumer<Throwable> onFailure;
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private volatile String drainedBecause;
  private volatile PipeSubscription subscription;
  private volatile Duration drainAfterExit;
  private volatile long bytesEmitted;

  /**
   * Creates a stream of {@code source}; {@code onFailure} is told when a subscriber threw from a signal or a read
   * failed with a JVM-fatal error, so that the process is stopped.
   */
  PipePublisher(PipeSource source, String description, Consumer<Throwable> onFailure) {
    this.source = source;
    this.description = description;
    this.onFailure = onFailure;
  }

  /**
   * Returns this stream as a {@code Flux}. It goes through {@link Flux#from}, which restores the subscriber's
   * ThreadLocals (MDC, tracing) around every signal when automatic context propagation is enabled: the chunks
   * arrive on the library's threads.
   */
  Flux<ByteBuffer> flux() {
    return Flux.from(this);
  }

  /**
   * Returns this stream with each chunk given to {@code read} as soon as it is read, and {@code read}'s results
   * emitted in its place. The chunk is only lent to {@code read}: the source may read into a buffer it reuses, so
   * no chunk is copied or allocated for the subscriber. Nothing stands between the stream and {@code read} (no
   * queue, no thread hop), so the chunk is never held past the call.
   */
  <T> Flux<T> lent(java.util.function.Function<? super ByteBuffer, ? extends T> read) {
    return Flux.<ByteBuffer>from(actual -> subscribe(actual, true)).map(read);
  }

  @Override
  public void subscribe(Subscriber<? super ByteBuffer> actual) {
    subscribe(actual, false);
  }

  private void subscribe(Subscriber<? super ByteBuffer> actual, boolean lend) {
    if (!subscribed.compareAndSet(false, true)) {
      String why = drainedBecause;
      Operators.error(actual, new IllegalStateException(why != null ? description + " was drained " + why
          : description + " already has a subscriber: a pipe's bytes can be read only once"));
      return;
    }
    start(actual, lend);
  }

  private void start(Subscriber<? super ByteBuffer> actual, boolean lend) {
    PipeSubscription s = new PipeSubscription(actual, lend);
    subscription = s;
    actual.onSubscribe(s);
    if (drainAfterExit != null) {
      s.exited(drainAfterExit);
    }
  }

  /** Tells this stream that the process has exited: from now on reads wait at most {@code drain} for data. */
  void processExited(Duration drain) {
    drainAfterExit = drain;
    PipeSubscription s = subscription;
    if (s != null) {
      s.exited(drain);
    }
  }

  /** Returns how many bytes this stream has emitted so far. */
  long bytesEmitted() {
    return bytesEmitted;
  }

  /** Subscribes {@code subscriber} if nobody has subscribed yet, and tells whether it did. */
  boolean trySubscribe(Subscriber<? super ByteBuffer> subscriber) {
    return trySubscribe(subscriber, null);
  }

  /**
   * Subscribes {@code drain} if nobody has subscribed yet, and tells whether it did; a later subscriber is told
   * that the stream was drained and {@code because} why.
   */
  boolean trySubscribe(Subscriber<? super ByteBuffer> drain, String because) {
    if (!subscribed.compareAndSet(false, true)) {
      return false;
    }
    drainedBecause = because;
    start(drain, false);
    return true;
  }

  /**
   * Tells the failure handler that a subscriber reading this stream through another one (a held stream) threw,
   * so that the process is stopped; never throws.
   */
  void failed(Throwable t) {
    try {
      onFailure.accept(t);
    } catch (Throwable ignored) {
      // The process is stopped on a best-effort basis; what the subscriber threw is what it was told.
    }
  }

  /** Closes the pipe when nobody subscribed, so that its descriptor does not outlive the process. */
  void discardIfUnsubscribed() {
    if (subscribed.compareAndSet(false, true)) {
      source.close();
    }
  }

  private final class PipeSubscription implements org.reactivestreams.Subscription, PipeSource.ReadHandler {
    private static final int IDLE = 0;
    private static final int READING = 1;
    private static final int EMITTING = 2;
    private static final int DONE = 3;

    private static final AtomicLongFieldUpdater<PipeSubscription> REQUESTED =
        AtomicLongFieldUpdater.newUpdater(PipeSubscription.class, "requested");

    /** The subscriber; dropped on cancel, so that a cancelled subscriber can be collected (rule 3.13). */
    private volatile Subscriber<? super ByteBuffer> actual;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private final AtomicInteger wip = new AtomicInteger();
    private volatile long requested;
    private volatile long reads;
    private volatile Duration drain;
    private volatile Disposable drainTimer;
    /** A {@code request(n <= 0)} not reported yet, or null. */
    private volatile Long badRequest;

    /** Whether the subscriber only borrows each chunk, for the {@code onNext} call. */
    private final boolean lend;

    PipeSubscription(Subscriber<? super ByteBuffer> actual, boolean lend) {
      this.actual = actual;
      this.lend = lend;
    }

    @Override
    public boolean borrows() {
      return lend;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        // Reported in drain(), serialized with onNext: never while a chunk is being emitted.
        badRequest = n;
      } else {
        Operators.addCap(REQUESTED, this, n);
      }
      drain();
    }

    @Override
    public void cancel() {
      if (finish()) {
        actual = null;
        subscription = null;
      }
    }

    private void drain() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      int missed = 1;
      do {
        Long bad = badRequest;
        if (bad != null) {
          refuse(bad);
        } else if (requested > 0 && state.get() == IDLE) {
          // Numbered before the state says READING, so that processExited() never sees a stale number.
          long read = ++reads;
          if (state.compareAndSet(IDLE, READING)) {
            Duration d = drain;
            if (d != null) {
              armDrainTimer(read, d);
            }
            source.read(this);
          }
        }
        missed = wip.addAndGet(-missed);
      } while (missed != 0);
    }

    /** Fails the stream for a bad request, unless a chunk is being emitted: its emitter drains again after. */
    private void refuse(long n) {
      int s = state.get();
      if ((s == IDLE || s == READING) && state.compareAndSet(s, DONE)) {
        cancelDrainTimer();
        source.close();
        Subscriber<? super ByteBuffer> a = actual;
        if (a != null) {
          signalError(a, Exceptions.nullOrNegativeRequestException(n));
        }
      }
    }

    void exited(Duration d) {
      drain = d;
      if (state.get() == READING) {
        armDrainTimer(reads, d);
      }
    }

    private void armDrainTimer(long read, Duration d) {
      drainTimer = Schedulers.parallel().schedule(() -> {
        Subscriber<? super ByteBuffer> a = actual;
        if (reads == read && a != null && state.compareAndSet(READING, DONE)) {
          source.close();
          signalComplete(a);
        }
      }, d.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void onData(ByteBuffer chunk) {
      Subscriber<? super ByteBuffer> a = actual;
      if (a == null || !state.compareAndSet(READING, EMITTING)) {
        return;
      }
      cancelDrainTimer();
      bytesEmitted += chunk.remaining();
      try {
        a.onNext(chunk);
      } catch (Throwable t) {
        threwFromOnNext(a, t);
        return;
      }
      if (requested != Long.MAX_VALUE) {
        REQUESTED.decrementAndGet(this);
      }
      if (state.compareAndSet(EMITTING, IDLE)) {
        drain();
      }
    }

    @Override
    public void onEnd() {
      Subscriber<? super ByteBuffer> a = actual;
      if (a != null && state.compareAndSet(READING, DONE)) {
        cancelDrainTimer();
        source.close();
        signalComplete(a);
      }
    }

    @Override
    public void onError(Throwable error) {
      Subscriber<? super ByteBuffer> a = actual;
      boolean fatal = isJvmFatal(error);
      if (a != null && state.compareAndSet(READING, DONE)) {
        cancelDrainTimer();
        source.close();
        signalError(a, error);
      } else if (!fatal) {
        Operators.onErrorDropped(error, Context.empty());
      }
      if (fatal) {
        // The source rethrows it; the process cannot go on being read, so it is stopped.
        tellFailure(error);
      }
    }

    /**
     * Handles a subscriber that threw from {@code onNext}: the stream is over, the pipe closed, the subscriber
     * told unless it cancelled meanwhile, the process stopped; a JVM-fatal error is thrown on.
     */
    private void threwFromOnNext(Subscriber<? super ByteBuffer> a, Throwable t) {
      boolean signal = state.getAndSet(DONE) != DONE;
      cancelDrainTimer();
      source.close();
      if (signal) {
        try {
          a.onError(t);
        } catch (Throwable u) {
          suppress(t, u);
        }
      }
      tellFailure(t);
      Exceptions.throwIfJvmFatal(t);
    }

    private void signalComplete(Subscriber<? super ByteBuffer> a) {
      try {
        a.onComplete();
      } catch (Throwable t) {
        threwFromTerminal(t);
      }
    }

    private void signalError(Subscriber<? super ByteBuffer> a, Throwable error) {
      try {
        a.onError(error);
      } catch (Throwable t) {
        suppress(t, error);
        threwFromTerminal(t);
      }
    }

    /** A subscriber threw from its last signal: nothing more can be told to it; the process is stopped. */
    private void threwFromTerminal(Throwable t) {
      tellFailure(t);
      Exceptions.throwIfJvmFatal(t);
      Operators.onErrorDropped(t, Context.empty());
    }

    private void tellFailure(Throwable t) {
      try {
        onFailure.accept(t);
      } catch (Throwable u) {
        suppress(t, u);
      }
    }

    /** Moves to DONE from any state; returns whether this call did it, and then releases the pipe. */
    private boolean finish() {
      if (state.getAndSet(DONE) == DONE) {
        return false;
      }
      cancelDrainTimer();
      source.close();
      return true;
    }

    private static void suppress(Throwable t, Throwable other) {
      if (t != other) {
        try {
          t.addSuppressed(other);
        } catch (Throwable ignored) {
          // Out of memory even for that: the first error is what matters.
        }
      }
    }

    private void cancelDrainTimer() {
      Disposable t = drainTimer;
      if (t != null) {
        t.dispose();
      }
    }
  }

  /** Tells whether {@code t} is one of the errors Reactor rethrows rather than signals. */
  static boolean isJvmFatal(Throwable t) {
    return t instanceof VirtualMachineError || t instanceof LinkageError;
  }
}

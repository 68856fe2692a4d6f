package dev.subprocess.internal;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;

/**
 * Gives a piped output stream of a process that its owner controls ({@code start()}, {@code execute}) to its one
 * subscriber, and keeps it from blocking the child while the owner reads another stream or waits.
 *
 * <p>Until {@link #spool()} is called nothing is read without a subscriber, so the child meets a full pipe as
 * backpressure. Once it is called (the owner reads another stream of the process, writes its stdin or waits for
 * it), a stream that still has no subscriber is read into memory, at most {@code limit} bytes, and the subscriber
 * that comes later gets what was held first, then the rest of the pipe read on its own demand. Past the limit
 * what was held is dropped and the stream is read on to its end and discarded, so that it still cannot block the
 * child; the later subscriber then gets an {@link IllegalStateException} naming the limit.
 */
final class SpooledStream implements Publisher<ByteBuffer> {
  private static final Logger log = LoggerFactory.getLogger(SpooledStream.class);
  private static final Object NEW = new Object();
  private static final Object DIRECT = new Object();
  private static final Object DISCARDED = new Object();

  private final PipePublisher pipe;
  private final String description;
  private final int limit;
  /** NEW, DIRECT (the subscriber reads the pipe itself), DISCARDED, or the {@link Spool} once spooling. */
  private final AtomicReference<Object> state = new AtomicReference<>(NEW);

  SpooledStream(PipePublisher pipe, String description, int limit) {
    this.pipe = pipe;
    this.description = description;
    this.limit = limit;
  }

  /** Returns this stream as a {@code Flux}, which restores the subscriber's ThreadLocals as the pipe's does. */
  Flux<ByteBuffer> flux() {
    return Flux.from(this);
  }

  /**
   * Returns this stream with each chunk given to {@code read} and its results emitted. A subscriber that comes
   * before anything was held reads the pipe itself with chunks lent to {@code read} ({@link PipePublisher#lent});
   * once chunks were held, they and the rest are handed over and mapped.
   */
  <T> Flux<T> lent(java.util.function.Function<? super ByteBuffer, ? extends T> read) {
    return Flux.defer(() -> state.compareAndSet(NEW, DIRECT) ? pipe.<T>lent(read) : flux().<T>map(read));
  }

  @Override
  public void subscribe(Subscriber<? super ByteBuffer> actual) {
    if (!trySubscribe(actual)) {
      Object s = state.get();
      if (s == DIRECT) {
        pipe.subscribe(actual);
      } else {
        Operators.error(actual, new IllegalStateException(s == DISCARDED || s instanceof Spool spool && spool.discarded
            ? description + " was closed unread: its process was released (the body of execute(...) had ended, or"
                + " nothing referenced the RunningProcess any more)"
            : description + " already has a subscriber: a pipe's bytes can be read only once"));
      }
    }
  }

  /** Subscribes {@code actual} if nobody has subscribed yet, and tells whether it did. */
  boolean trySubscribe(Subscriber<? super ByteBuffer> actual) {
    for (;;) {
      Object s = state.get();
      if (s == NEW) {
        if (state.compareAndSet(NEW, DIRECT)) {
          pipe.subscribe(actual);
          return true;
        }
      } else {
        return s instanceof Spool spool && spool.attach(actual);
      }
    }
  }

  /** Starts reading the stream into memory if it has no subscriber yet; does nothing otherwise. Idempotent. */
  void spool() {
    if (state.get() != NEW) {
      return;
    }
    Spool spool = new Spool();
    if (state.compareAndSet(NEW, spool) && !pipe.trySubscribe(spool)) {
      spool.onError(new IllegalStateException(description + " already has a subscriber: a pipe's bytes can be read"
          + " only once"));
    }
  }

  /** Closes the stream and drops what it holds when it has no subscriber, so that nothing outlives the process. */
  void discard() {
    Object s = state.get();
    if (s == NEW && state.compareAndSet(NEW, DISCARDED)) {
      pipe.discardIfUnsubscribed();
    } else if (s instanceof Spool spool) {
      spool.discard();
    }
  }

  /** Reads the pipe one chunk at a time: ahead of any subscriber while none has come, then on its demand. */
  private final class Spool implements CoreSubscriber<ByteBuffer>, Subscription {
    private final Queue<ByteBuffer> held = new ConcurrentLinkedQueue<>();
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicReference<Subscriber<? super ByteBuffer>> downstream = new AtomicReference<>();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile Subscription upstream;
    /** A chunk was requested from the pipe and has not arrived yet. */
    private volatile boolean reading;
    private volatile boolean ended;
    private volatile Throwable failure;
    private volatile boolean overflowed;
    private volatile boolean cancelled;
    private volatile boolean discarded;
    private volatile boolean terminated;
    private volatile Throwable badRequest;
    private boolean announced;
    private boolean upstreamCancelled;

    boolean attach(Subscriber<? super ByteBuffer> actual) {
      if (discarded || !downstream.compareAndSet(null, actual)) {
        return false;
      }
      drain();
      return true;
    }

    void discard() {
      if (downstream.compareAndSet(null, Operators.emptySubscriber())) {
        discarded = true;
        cancelled = true;
        drain();
      }
    }

    @Override
    public void onSubscribe(Subscription s) {
      upstream = s;
      drain();
    }

    @Override
    public void onNext(ByteBuffer chunk) {
      int n = chunk.remaining();
      held.offer(chunk);
      heldBytes.addAndGet(n);
      reading = false;
      drain();
    }

    @Override
    public void onError(Throwable error) {
      failure = error;
      ended = true;
      reading = false;
      drain();
    }

    @Override
    public void onComplete() {
      ended = true;
      reading = false;
      drain();
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        badRequest = Exceptions.nullOrNegativeRequestException(n);
      } else {
        demand.getAndAccumulate(n, Operators::addCap);
      }
      drain();
    }

    @Override
    public void cancel() {
      if (!terminated) {
        cancelled = true;
        drain();
      }
    }

    /** Does whatever is due, on one thread at a time: the only place that signals the subscriber. */
    private void drain() {
      if (wip.getAndIncrement() != 0) {
        return;
      }
      int missed = 1;
      Throwable thrown = null;
      do {
        Subscriber<? super ByteBuffer> d = downstream.get();
        if (cancelled) {
          dropHeld();
          if (!upstreamCancelled && upstream != null) {
            upstreamCancelled = true;
            upstream.cancel();
          }
          if (!discarded) {
            downstream.set(Operators.emptySubscriber());
          }
        } else if (d == null) {
          hold();
        } else {
          try {
            if (!announced) {
              announced = true;
              d.onSubscribe(this);
            }
            deliver(d);
          } catch (Throwable t) {
            subscriberThrew(d, t);
            thrown = t;
          }
        }
        missed = wip.addAndGet(-missed);
      } while (missed != 0);
      if (thrown != null) {
        Exceptions.throwIfJvmFatal(thrown);
      }
    }

    /**
     * Handles a subscriber that threw from a signal (a user operator's {@code NoClassDefFoundError}, which Reactor
     * throws on) as the pipe's own stream does: the stream is over and cancelled, the subscriber told unless it had
     * ended, and the process stopped. The caller drains once more, so that the pipe is closed.
     */
    private void subscriberThrew(Subscriber<? super ByteBuffer> d, Throwable t) {
      boolean signal = !terminated;
      terminated = true;
      cancelled = true;
      wip.incrementAndGet();
      if (signal) {
        try {
          d.onError(t);
        } catch (Throwable ignored) {
          // The subscriber is broken; what it threw first is what stops the process.
        }
      }
      pipe.failed(t);
    }

    /** Nobody has subscribed yet: keeps reading, holding up to the limit, dropping once past it. */
    private void hold() {
      if (!overflowed && heldBytes.get() > limit) {
        overflowed = true;
        log.debug("{} has more than {} unread bytes with no subscriber: dropping them and what follows",
            description, limit);
      }
      if (overflowed) {
        dropHeld();
      }
      readMore();
    }

    private void deliver(Subscriber<? super ByteBuffer> d) {
      if (terminated) {
        if (overflowed) {
          dropHeld();
          readMore();
        }
        return;
      }
      Throwable bad = badRequest;
      if (bad != null) {
        terminated = true;
        cancelled = true;
        d.onError(bad);
        wip.incrementAndGet();
        return;
      }
      if (overflowed) {
        terminated = true;
        dropHeld();
        d.onError(new IllegalStateException(description + " was not read while other streams of its process were:"
            + " it was held for a later subscriber up to the unread buffer limit of " + limit + " bytes, then"
            + " discarded so that it could not block the child. Subscribe to it at once (with Flux.merge or zip),"
            + " or raise Command.unreadBufferLimit(bytes)"));
        downstream.set(Operators.emptySubscriber());
        readMore();
        return;
      }
      long wanted = demand.get();
      long emitted = 0;
      while (emitted != wanted) {
        ByteBuffer chunk = held.poll();
        if (chunk == null) {
          break;
        }
        heldBytes.addAndGet(-chunk.remaining());
        d.onNext(chunk);
        emitted++;
        if (cancelled) {
          wip.incrementAndGet();
          return;
        }
      }
      if (emitted != 0 && wanted != Long.MAX_VALUE) {
        demand.addAndGet(-emitted);
      }
      if (held.isEmpty()) {
        if (ended) {
          terminated = true;
          Throwable f = failure;
          if (f != null) {
            d.onError(f);
          } else {
            d.onComplete();
          }
          downstream.set(Operators.emptySubscriber());
        } else if (demand.get() > 0) {
          readMore();
        }
      }
    }

    /** Requests the next chunk unless one is on its way or the pipe has ended. */
    private void readMore() {
      Subscription up = upstream;
      if (up != null && !ended && !reading && !upstreamCancelled) {
        reading = true;
        up.request(1);
      }
    }

    private void dropHeld() {
      held.clear();
      heldBytes.set(0);
    }
  }
}

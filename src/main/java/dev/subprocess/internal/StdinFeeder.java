package dev.subprocess.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Writes a publisher of buffers into a child's stdin, one buffer at a time: the next buffer is requested only
 * once the previous one is in the pipe, so a child that reads slowly slows the publisher down. Closes stdin once
 * the last buffer is in the pipe. A child that stops reading (broken pipe) ends the feed quietly and cancels the
 * publisher, as Python's {@code communicate} ignores a broken pipe.
 *
 * <p>The input publisher sees the Context of the subscriber the process was started for ({@link #currentContext}),
 * and its subscription, demand and cancellation run with that Context's ThreadLocals restored (with
 * context-propagation), whichever library thread asks for the next buffer.
 */
final class StdinFeeder implements CoreSubscriber<ByteBuffer>, PipeSink.WriteHandler {
  private static final Logger log = LoggerFactory.getLogger(StdinFeeder.class);

  private final PipeSink sink;
  private final Context context;
  private final AtomicBoolean fed = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Sinks.Empty<Void> result = Sinks.empty();
  private volatile Subscription subscription;
  private volatile boolean stopped;
  private boolean writing;
  private boolean completed;
  private long written;

  StdinFeeder(PipeSink sink, ContextView context) {
    this.sink = sink;
    this.context = context == null ? Context.empty() : Context.of(context);
  }

  @Override
  public Context currentContext() {
    return context;
  }

  /** Runs a call into the input publisher with the subscriber's ThreadLocals restored. */
  private void upstream(Runnable call) {
    LogContext.run(context, call);
  }

  /**
   * Starts writing {@code input}, or closes stdin at once when it is null. Returns false when stdin was fed or
   * closed before: a pipe takes one feed.
   */
  boolean feed(Publisher<ByteBuffer> input) {
    if (!fed.compareAndSet(false, true)) {
      return false;
    }
    if (input == null || stopped) {
      onComplete();
    } else {
      try {
        upstream(() -> input.subscribe(this));
      } catch (Throwable t) {
        inputThrew(t);
      }
    }
    return true;
  }

  @Override
  public void onSubscribe(Subscription s) {
    subscription = s;
    if (stopped) {
      upstream(s::cancel);
    } else {
      requestNext();
    }
  }

  @Override
  public void onNext(ByteBuffer data) {
    if (stopped) {
      return;
    }
    if (!data.hasRemaining()) {
      requestNext();
      return;
    }
    synchronized (this) {
      writing = true;
      written += data.remaining();
    }
    sink.write(data, this);
  }

  @Override
  public void onWritten() {
    boolean finish;
    synchronized (this) {
      writing = false;
      finish = completed;
    }
    if (finish) {
      finish();
    } else if (!stopped) {
      requestNext();
    }
  }

  /**
   * Asks the input for its next buffer. An input that throws instead of signalling (a user operator's
   * {@code NoClassDefFoundError}, which Reactor throws on) fails the feed as an input error, so that stdin is
   * closed and the process stopped rather than left waiting; a JVM-fatal error is then thrown on.
   */
  private void requestNext() {
    try {
      upstream(() -> subscription.request(1));
    } catch (Throwable t) {
      inputThrew(t);
    }
  }

  private void inputThrew(Throwable t) {
    Subscription s = subscription;
    if (s != null) {
      try {
        s.cancel();
      } catch (Throwable ignored) {
        // The input is broken already; what it threw first is what is reported.
      }
    }
    onError(t);
    Exceptions.throwIfJvmFatal(t);
  }

  @Override
  public void onBroken(Throwable error) {
    synchronized (this) {
      writing = false;
    }
    log.debug("stdin closed by the child after {} bytes: {}", written, error.toString());
    stop();
  }

  @Override
  public void onError(Throwable error) {
    boolean wasStopped = stopped;
    // The failure is told before stdin is closed: the end of file could otherwise let the child exit, and its run
    // complete as a success, before anyone learnt that its input failed.
    if (!wasStopped) {
      result.tryEmitError(error);
    }
    close();
  }

  @Override
  public void onComplete() {
    synchronized (this) {
      if (writing) {
        completed = true;
        return;
      }
    }
    finish();
  }

  private void finish() {
    close();
    result.tryEmitEmpty();
  }

  /** Returns how many bytes were handed to the pipe. */
  synchronized long bytesWritten() {
    return written;
  }

  /** Completes once stdin is closed (all written, or the child stopped reading); fails when the input failed. */
  Mono<Void> result() {
    return result.asMono();
  }

  /** Stops feeding: cancels the input publisher and closes stdin. */
  void stop() {
    stopped = true;
    fed.set(true);
    Subscription s = subscription;
    try {
      if (s != null) {
        upstream(s::cancel);
      }
    } catch (Throwable t) {
      // Rule 3.15: cancel returns normally. An input that throws anyway still gets its stdin closed.
      log.warn("an input publisher threw from cancel(), against Reactive Streams rule 3.15; stdin is closed anyway",
          t);
      Exceptions.throwIfJvmFatal(t);
    } finally {
      finish();
    }
  }

  private void close() {
    if (closed.compareAndSet(false, true)) {
      sink.close();
    }
  }
}

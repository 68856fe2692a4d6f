package dev.subprocess.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
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
 * Writes publishers of buffers into a child's stdin, one write after the other in the order they were asked for,
 * and one buffer at a time: the next buffer is requested only once the previous one is in the pipe, so a child
 * that reads slowly slows the publisher down. A write either leaves stdin open for the next one or closes it once
 * its last buffer is in the pipe; after a closing write nothing more is accepted.
 *
 * <p>A pipe that can take nothing more (the child closed its end, it exited, or its process was released) ends
 * each write in one of two ways. A <em>quiet</em> write (the command's input, {@code communicate}, a close) ends
 * normally and cancels its publisher, as Python's {@code communicate} ignores a broken pipe. Any other write fails
 * with an {@link UncheckedIOException} once one of its buffers cannot be written, as Python's
 * {@code stdin.write} raises {@code BrokenPipeError}; a write whose every buffer reached the pipe before the
 * process exited completes, and what its publisher had not produced yet is cancelled.
 *
 * <p>The input publishers see the Context of the subscriber the process was started for, and their subscription,
 * demand and cancellation run with that Context's ThreadLocals restored (with context-propagation), whichever
 * library thread asks for the next buffer.
 */
final class StdinFeeder {
  private static final Logger log = LoggerFactory.getLogger(StdinFeeder.class);

  private final PipeSink sink;
  private final Context context;
  private final String description;
  private final AtomicBoolean sinkClosed = new AtomicBoolean();
  private final ArrayDeque<Write> queue = new ArrayDeque<>();
  /** The write in progress; guarded by this, as are the fields below. */
  private Write current;
  /** A closing write was accepted: later writes are refused. */
  private boolean closing;
  /** Why the pipe takes nothing more, or null while it does. */
  private String brokenReason;
  private Throwable brokenCause;
  private long written;
  /** How many of the bytes handed to the pipe it took. */
  private long delivered;

  StdinFeeder(PipeSink sink, ContextView context, String description) {
    this.sink = sink;
    this.context = context == null ? Context.empty() : Context.of(context);
    this.description = description;
  }

  /**
   * Queues a write of {@code data} (nothing when null) after the writes asked for before, closing stdin at its end
   * when {@code close}; a {@code quiet} write ends normally on a broken pipe. Returns null when a closing write was
   * accepted before: then nothing was queued.
   */
  Write write(Publisher<ByteBuffer> data, boolean close, boolean quiet) {
    Write write = new Write(data, close, quiet);
    synchronized (this) {
      if (closing) {
        return null;
      }
      closing = close;
      queue.add(write);
    }
    next();
    return write;
  }

  /** Tells whether a closing write was accepted, so that nothing more can be written. */
  synchronized boolean closing() {
    return closing;
  }

  /** Returns how many bytes were handed to the pipe. */
  synchronized long bytesWritten() {
    return written;
  }

  /**
   * Stops feeding for {@code reason} (the process exited, was released, or its owner closed stdin): closes stdin,
   * cancels the publisher being written (its write ends once the buffer in the pipe, if any, is written or not),
   * and lets the writes still queued end as a broken pipe ends them.
   */
  void stop(String reason) {
    Write write;
    synchronized (this) {
      if (brokenReason == null) {
        brokenReason = reason;
      }
      write = current;
    }
    closeSink();
    if (write != null) {
      write.stopped();
    }
    next();
  }

  /** Starts the next queued write when none is in progress. */
  private void next() {
    for (;;) {
      Write write;
      boolean broken;
      synchronized (this) {
        if (current != null || queue.isEmpty()) {
          return;
        }
        write = queue.poll();
        current = write;
        broken = brokenReason != null;
      }
      write.start(broken);
    }
  }

  private void ended(Write write) {
    synchronized (this) {
      if (current == write) {
        current = null;
      }
    }
    next();
  }

  private void closeSink() {
    if (sinkClosed.compareAndSet(false, true)) {
      sink.close();
    }
  }

  private synchronized UncheckedIOException brokenPipe() {
    Throwable cause = brokenCause;
    String because = cause == null ? "" : " (" + cause.getMessage() + ")";
    return new UncheckedIOException("cannot write to " + description + ": " + brokenReason + because
        + ", a broken pipe; it had taken " + delivered + " bytes before",
        cause instanceof IOException io ? io : new IOException("Broken pipe: " + brokenReason));
  }

  /** Runs a call into an input publisher with the subscriber's ThreadLocals restored. */
  private void upstream(Runnable call) {
    LogContext.run(context, call);
  }

  /** One write: subscribes to its publisher and hands its buffers to the pipe, one at a time. */
  final class Write implements CoreSubscriber<ByteBuffer>, PipeSink.WriteHandler {
    private final Publisher<ByteBuffer> data;
    private final boolean close;
    private final boolean quiet;
    private final Sinks.Empty<Void> result = Sinks.empty();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile Subscription subscription;
    /**
     * Guarded by the feeder: a buffer is in the pipe's hands (and its size); the publisher completed; the feed was
     * stopped.
     */
    private boolean writing;
    private int inFlight;
    private boolean completed;
    private boolean stopped;
    /** The publisher's error, kept until the buffer in the pipe's hands is written: one write at a time. */
    private Throwable failed;

    private Write(Publisher<ByteBuffer> data, boolean close, boolean quiet) {
      this.data = data;
      this.close = close;
      this.quiet = quiet;
    }

    /** Completes once the write has ended (and, for a closing write, stdin is closed); fails as described above. */
    Mono<Void> result() {
      return result.asMono();
    }

    @Override
    public Context currentContext() {
      return context;
    }

    private void start(boolean broken) {
      if (data == null || (broken && quiet)) {
        end(null);
        return;
      }
      try {
        upstream(() -> data.subscribe(this));
      } catch (Throwable t) {
        inputThrew(t);
      }
    }

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
      if (ended.get() || cancelled.get()) {
        upstream(s::cancel);
      } else {
        requestNext();
      }
    }

    @Override
    public void onNext(ByteBuffer buffer) {
      if (ended.get()) {
        return;
      }
      if (!buffer.hasRemaining()) {
        requestNext();
        return;
      }
      boolean broken;
      synchronized (StdinFeeder.this) {
        broken = brokenReason != null || stopped;
        if (!broken) {
          writing = true;
          inFlight = buffer.remaining();
          written += inFlight;
        }
      }
      if (broken) {
        cancel();
        end(quiet ? null : brokenPipe());
        return;
      }
      sink.write(buffer, this);
    }

    @Override
    public void onWritten() {
      boolean finish;
      Throwable error;
      synchronized (StdinFeeder.this) {
        writing = false;
        delivered += inFlight;
        error = failed;
        finish = completed || stopped || error != null;
      }
      if (finish) {
        end(error);
      } else {
        requestNext();
      }
    }

    @Override
    public void onBroken(Throwable error) {
      Throwable inputError;
      long taken;
      int refused;
      synchronized (StdinFeeder.this) {
        taken = delivered;
        refused = inFlight;
        // writing stays set: this write ends as a failure below, and the input's completion (or error), which
        // may come on another thread meanwhile, must only be noted, not end it first as a success.
        inputError = failed;
        if (brokenReason == null) {
          brokenReason = "the child closed its end";
          brokenCause = error;
        }
      }
      log.debug("{} closed by the child after it took {} bytes (the last buffer, {} bytes, refused): {}",
          description, taken, refused, error.toString());
      closeSink();
      cancel();
      end(inputError != null ? inputError : quiet ? null : brokenPipe());
    }

    @Override
    public void onError(Throwable error) {
      synchronized (StdinFeeder.this) {
        if (writing) {
          failed = error;
          return;
        }
      }
      end(error);
    }

    @Override
    public void onComplete() {
      synchronized (StdinFeeder.this) {
        if (writing) {
          completed = true;
          return;
        }
      }
      end(null);
    }

    /** The feed was stopped: cancels the publisher, and ends now unless a buffer is still in the pipe's hands. */
    private void stopped() {
      boolean outstanding;
      synchronized (StdinFeeder.this) {
        stopped = true;
        outstanding = writing;
      }
      cancel();
      if (!outstanding) {
        end(null);
      }
    }

    /**
     * Asks the input for its next buffer. An input that throws instead of signalling (a user operator's
     * {@code NoClassDefFoundError}, which Reactor throws on) fails the write as an input error, so that stdin is
     * closed (for a closing write) rather than left waiting; a JVM-fatal error is then thrown on.
     */
    private void requestNext() {
      try {
        upstream(() -> subscription.request(1));
      } catch (Throwable t) {
        inputThrew(t);
      }
    }

    private void inputThrew(Throwable t) {
      try {
        cancel();
      } catch (Throwable ignored) {
        // The input is broken already; what it threw first is what is reported.
      }
      end(t);
      Exceptions.throwIfJvmFatal(t);
    }

    private void cancel() {
      if (cancelled.compareAndSet(false, true)) {
        Subscription s = subscription;
        if (s != null) {
          try {
            upstream(s::cancel);
          } catch (Throwable t) {
            // Rule 3.15: cancel returns normally. An input that throws anyway still has its write ended.
            log.warn("the input written to {} threw from cancel(), against Reactive Streams rule 3.15; its write"
                + " ends all the same", description, t);
            Exceptions.throwIfJvmFatal(t);
          }
        }
      }
    }

    /** Ends this write once: closes stdin when it is a closing one, reports the outcome, starts the next write. */
    private void end(Throwable error) {
      if (!ended.compareAndSet(false, true)) {
        return;
      }
      if (error == null) {
        if (close) {
          closeSink();
        }
        result.tryEmitEmpty();
      } else {
        // The failure is told before stdin is closed: the end of file could otherwise let the child exit, and its
        // run complete as a success, before anyone learnt that its input failed.
        result.tryEmitError(error);
        if (close) {
          closeSink();
        }
      }
      ended(this);
    }
  }
}

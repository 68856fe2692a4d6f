package dev.subprocess.internal.jdk;

import dev.subprocess.internal.PipeSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.Exceptions;

/**
 * Reads a {@link Process}'s output stream on demand: each requested read is a blocking {@code read} on a backend
 * thread, which goes on reading on the same thread while the engine keeps asking. A small chunk is copied out
 * of the buffer into an array of its exact size; a chunk of at least half the buffer is handed over in the
 * buffer itself, and the next read allocates another. Either way the subscriber owns the array, unless the handler
 * only {@linkplain ReadHandler#borrows() borrows} chunks: it is lent the buffer, read into again after it returns.
 */
final class StreamSource implements PipeSource, Runnable {
  /** The most bytes one read takes: the default capacity of a Linux pipe. */
  static final int CHUNK = 64 * 1024;

  private final InputStream in;
  private final Executor executor;
  private final AtomicReference<ReadHandler> pending = new AtomicReference<>();
  private final AtomicInteger wip = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private byte[] buffer;

  StreamSource(InputStream in, Executor executor) {
    this.in = in;
    this.executor = executor;
  }

  @Override
  public void read(ReadHandler handler) {
    pending.set(handler);
    if (wip.getAndIncrement() == 0) {
      executor.execute(this);
    }
  }

  @Override
  public void run() {
    int missed = 1;
    do {
      ReadHandler handler = pending.getAndSet(null);
      if (handler != null) {
        readOnce(handler);
      }
      missed = wip.addAndGet(-missed);
    } while (missed != 0);
  }

  private void readOnce(ReadHandler handler) {
    int n;
    ByteBuffer chunk = null;
    try {
      if (buffer == null) {
        buffer = new byte[CHUNK];
      }
      n = fill();
      if (n >= 0 && handler.borrows()) {
        // Lent for the call only: the buffer is read into again once the handler returns. Sliced, so that the
        // chunk reaches none of the bytes earlier reads left beyond it.
        chunk = ByteBuffer.wrap(buffer, 0, n).slice();
      } else if (n >= CHUNK / 2) {
        // A large chunk is handed over in the array it was read into, and the next read gets a fresh one: zeroing
        // an array costs less than copying the chunk out of a reused one.
        chunk = ByteBuffer.wrap(buffer, 0, n).slice();
        buffer = null;
      } else if (n >= 0) {
        chunk = ByteBuffer.wrap(Arrays.copyOf(buffer, n));
      }
    } catch (IOException e) {
      if (closed.get()) {
        handler.onEnd();
      } else {
        handler.onError(e);
      }
      return;
    } catch (Throwable t) {
      // Out of memory for the chunk, say: the handler must hear of it, or the stream would wait forever.
      handler.onError(t);
      Exceptions.throwIfJvmFatal(t);
      return;
    }
    if (n < 0) {
      buffer = null;
      handler.onEnd();
    } else {
      handler.onData(chunk);
    }
  }

  /** The one blocking call of a read (allowed for BlockHound); the handler is called outside it. */
  private int fill() throws IOException {
    return in.read(buffer);
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      // A read asked for but not yet taken by the reading thread ends here; one already taken ends there, when
      // its blocking read fails on the closed stream. Either way its handler hears end of file once.
      ReadHandler waiting = pending.getAndSet(null);
      try {
        in.close();
      } catch (IOException ignored) {
        // Closing a pipe's read end fails only when it is closed already.
      }
      if (waiting != null) {
        waiting.onEnd();
      }
    }
  }
}

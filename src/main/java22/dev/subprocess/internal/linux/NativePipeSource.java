package dev.subprocess.internal.linux;

import dev.subprocess.internal.PipeSource;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.Exceptions;

/**
 * Reads this process's non-blocking end of a child's output pipe, only when asked. A read first tries the pipe
 * at once, on the asking thread; when the pipe is empty it arms the event loop for one EPOLLIN and finishes on
 * the loop thread when data or end of file arrives.
 *
 * <p>Chunks are read straight into the array that is emitted, sized by what the pipe holds ({@code FIONREAD}, at
 * most one pipe's worth), so nothing is copied, nothing is allocated ahead of data, and an idle pipe holds no
 * buffer.
 *
 * <p>Every read calls its handler exactly once: a read of a closed source, and a read still waiting when the
 * source is closed, end with {@code onEnd}.
 */
final class NativePipeSource extends EventLoop.Watch implements PipeSource {
  private final EventLoop loop;
  private final int chunk;
  /** Reads an empty pipe, to tell end of file from no data yet (a byte that arrives meanwhile is kept). */
  private final byte[] probe = new byte[256];
  private final AtomicReference<ReadHandler> pending = new AtomicReference<>();

  NativePipeSource(int fd, int chunk) throws NativeException {
    super(fd);
    this.loop = EventLoop.get();
    this.chunk = chunk;
    loop.add(this);
  }

  @Override
  public void read(ReadHandler handler) {
    if (!attempt(handler)) {
      await(handler);
    }
  }

  @Override
  void ready(int events) {
    ReadHandler handler = pending.getAndSet(null);
    if (handler != null && !attempt(handler)) {
      await(handler);
    }
  }

  /**
   * Parks {@code handler} until the pipe is readable. A close that came first, or comes meanwhile, ends it: the
   * handler is called exactly once, by whoever takes it out of {@link #pending}.
   */
  private void await(ReadHandler handler) {
    pending.set(handler);
    loop.arm(this, Libc.EPOLLIN);
    if (closed()) {
      endPending();
    }
  }

  private boolean closed() {
    synchronized (this) {
      return isClosed();
    }
  }

  private void endPending() {
    ReadHandler handler = pending.getAndSet(null);
    if (handler != null) {
      handler.onEnd();
    }
  }

  /**
   * Reads once; returns false when the pipe is empty (the handler was not called). A closed source reads as end
   * of file, as a closed stream does on the JDK backend.
   */
  private boolean attempt(ReadHandler handler) {
    byte[] buffer;
    long n;
    try {
      synchronized (this) {
        if (isClosed()) {
          n = 0;
          buffer = null;
        } else {
          int available = Posix.available(fd);
          buffer = available > 0 ? new byte[Math.min(available, chunk)] : probe;
          n = Posix.read(fd, buffer, 0, buffer.length);
          if (n > 0 && buffer == probe) {
            buffer = Arrays.copyOf(probe, (int) n);
          }
        }
      }
    } catch (Throwable t) {
      // Out of memory for the chunk, say: the handler must hear of it, or the stream would wait forever.
      handler.onError(t);
      Exceptions.throwIfJvmFatal(t);
      return true;
    }
    if (n > 0) {
      handler.onData(n == buffer.length ? ByteBuffer.wrap(buffer) : ByteBuffer.wrap(buffer, 0, (int) n).slice());
    } else if (n == 0) {
      handler.onEnd();
    } else if (n == -Libc.EAGAIN) {
      return false;
    } else {
      handler.onError(new NativeException("read", (int) -n));
    }
    return true;
  }

  /** Closes the pipe; a read waiting for data ends, its handler told end of file. */
  @Override
  public void close() {
    loop.close(this);
    endPending();
  }
}

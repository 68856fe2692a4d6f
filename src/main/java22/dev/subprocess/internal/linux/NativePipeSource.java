package dev.subprocess.internal.linux;

import dev.subprocess.internal.PipeSource;
import java.nio.ByteBuffer;
import java.util.Arrays;
import reactor.core.Exceptions;

/**
 * Reads this process's non-blocking end of a child's output pipe, only when asked. A read first tries the pipe
 * at once, on the asking thread; when the pipe is empty it arms the event loop for one EPOLLIN and finishes on
 * the loop thread when data or end of file arrives.
 *
 * <p>Chunks are read straight into the array that is emitted, sized by what the pipe holds ({@code FIONREAD}, at
 * most one pipe's worth), so nothing is copied, nothing is allocated ahead of data, and an idle pipe holds no
 * buffer.
 */
final class NativePipeSource extends EventLoop.Watch implements PipeSource {
  private final EventLoop loop;
  private final int chunk;
  /** Reads an empty pipe, to tell end of file from no data yet (a byte that arrives meanwhile is kept). */
  private final byte[] probe = new byte[256];
  private volatile ReadHandler pending;

  NativePipeSource(int fd, int chunk) throws NativeException {
    super(fd);
    this.loop = EventLoop.get();
    this.chunk = chunk;
    loop.add(this);
  }

  @Override
  public void read(ReadHandler handler) {
    if (!attempt(handler)) {
      pending = handler;
      loop.arm(this, Libc.EPOLLIN);
    }
  }

  @Override
  void ready(int events) {
    ReadHandler handler = pending;
    pending = null;
    if (handler != null && !attempt(handler)) {
      pending = handler;
      loop.arm(this, Libc.EPOLLIN);
    }
  }

  /** Reads once; returns false when the pipe is empty (the handler was not called). */
  private boolean attempt(ReadHandler handler) {
    byte[] buffer;
    long n;
    try {
      synchronized (this) {
        if (isClosed()) {
          return true;
        }
        int available = Posix.available(fd);
        buffer = available > 0 ? new byte[Math.min(available, chunk)] : probe;
        n = Posix.read(fd, buffer, 0, buffer.length);
        if (n > 0 && buffer == probe) {
          buffer = Arrays.copyOf(probe, (int) n);
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

  @Override
  public void close() {
    pending = null;
    loop.close(this);
  }
}

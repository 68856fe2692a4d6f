package dev.subprocess.internal.linux;

import dev.subprocess.internal.PipeSource;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads this process's non-blocking end of a child's output pipe, only when asked. A read first tries the pipe
 * at once, on the asking thread; when the pipe is empty it arms the event loop for one EPOLLIN and finishes on
 * the loop thread when data or end of file arrives.
 *
 * <p>Chunks are read straight into the array that is emitted: a read that fills at least half the array hands
 * the array over as it is; a smaller one is copied into an array of its size, and the array is reused.
 */
final class NativePipeSource extends EventLoop.Watch implements PipeSource {
  private final EventLoop loop;
  private final int chunk;
  private volatile ReadHandler pending;
  private byte[] next;

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
    synchronized (this) {
      if (isClosed()) {
        return true;
      }
      if (next == null) {
        next = new byte[chunk];
      }
      buffer = next;
      n = Posix.read(fd, buffer, 0, buffer.length);
      if (n > buffer.length / 2) {
        next = null;
      }
    }
    if (n > 0) {
      handler.onData(n > buffer.length / 2
          ? ByteBuffer.wrap(buffer, 0, (int) n).slice()
          : ByteBuffer.wrap(Arrays.copyOf(buffer, (int) n)));
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
    loop.close(this);
  }
}

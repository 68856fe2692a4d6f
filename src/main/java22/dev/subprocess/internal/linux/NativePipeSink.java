package dev.subprocess.internal.linux;

import dev.subprocess.internal.PipeSink;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Writes into this process's non-blocking end of a child's stdin pipe. A write goes into the pipe at once, on the
 * calling thread, as far as it fits; the rest waits for one EPOLLOUT and continues on the loop thread. A child
 * that closed its end makes the write fail with EPIPE (the JVM ignores SIGPIPE), reported as a broken pipe.
 * Closing waits for an outstanding write, so that input followed at once by its end is delivered whole.
 */
final class NativePipeSink extends EventLoop.Watch implements PipeSink {
  private final EventLoop loop;
  private MemorySegment data;
  private long offset;
  private WriteHandler handler;
  private boolean closeRequested;

  NativePipeSink(int fd) throws NativeException {
    super(fd);
    this.loop = EventLoop.get();
    loop.add(this);
  }

  @Override
  public void write(ByteBuffer buffer, WriteHandler writeHandler) {
    MemorySegment segment;
    if (buffer.isReadOnly() || (!buffer.isDirect() && !buffer.hasArray())) {
      byte[] copy = new byte[buffer.remaining()];
      buffer.duplicate().get(copy);
      segment = MemorySegment.ofArray(copy);
    } else {
      segment = MemorySegment.ofBuffer(buffer);
    }
    synchronized (this) {
      data = segment;
      offset = 0;
      handler = writeHandler;
    }
    proceed();
  }

  @Override
  void ready(int events) {
    proceed();
  }

  private void proceed() {
    WriteHandler done;
    Throwable failure = null;
    synchronized (this) {
      if (handler == null) {
        return;
      }
      if (isClosed()) {
        failure = new java.io.IOException("stdin is closed");
      } else {
        while (offset < data.byteSize()) {
          long n = Posix.write(fd, data.asSlice(offset));
          if (n >= 0) {
            offset += n;
          } else if (n == -Libc.EAGAIN) {
            loop.arm(this, Libc.EPOLLOUT);
            return;
          } else {
            failure = new NativeException("write", (int) -n);
            break;
          }
        }
      }
      done = handler;
      handler = null;
      data = null;
      if (closeRequested) {
        loop.close(this);
      }
    }
    if (failure == null) {
      done.onWritten();
    } else {
      done.onBroken(failure);
    }
  }

  /** Closes the pipe once the outstanding write, if any, is done, so that the child reads every byte. */
  @Override
  public void close() {
    synchronized (this) {
      if (handler != null) {
        closeRequested = true;
        return;
      }
    }
    loop.close(this);
  }

  /** Closes the pipe now, dropping an outstanding write: for a process that is being released. */
  void abort() {
    loop.close(this);
  }
}

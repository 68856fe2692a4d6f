package dev.subprocess.internal.linux;

import dev.subprocess.internal.PipeSource;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.Exceptions;

/**
 * Reads this process's non-blocking end of a child's output pipe, only when asked. The descriptor is watched
 * edge-triggered, so the event loop says when data arrives without being re-armed: a read asked for while the
 * pipe is known to hold data is done at once on the asking thread; otherwise it waits for the loop, which reads
 * on its thread when data or end of file arrives. A child that writes a line now and then so costs one
 * {@code epoll_wait} and one {@code read} per line.
 *
 * <p>Chunks are read straight into the array that is emitted, which then belongs to the subscriber: nothing is
 * copied, nothing is allocated ahead of data, and an idle pipe holds no buffer. The size of the next read adapts
 * as a network receive buffer does: while chunks are small (a line) a fresh array of the expected size is read
 * into directly, one system call; once they grow, an array of exactly what the pipe holds ({@code FIONREAD}), at
 * most one pipe's worth, and the next read asks the pipe again at once instead of waiting for the loop: while data
 * streams in, the child has usually written meanwhile.
 *
 * <p>Every read calls its handler exactly once: a read of a closed source, and a read still waiting when the
 * source is closed, end with {@code onEnd}.
 */
final class NativePipeSource extends EventLoop.Watch implements PipeSource {
  /** The first read's size, and the least: a few lines. */
  private static final int SMALLEST = 4096;
  /** From this expected size on, reads are sized by what the pipe holds. */
  private static final int MEASURED = 16 * 1024;

  private final EventLoop loop;
  private final int chunk;
  private final AtomicReference<ReadHandler> pending = new AtomicReference<>();
  /** Whether the pipe may hold data: set by every event, cleared before each read that may empty it. */
  private volatile boolean readable;
  /**
   * Whether the writers have all closed (or the descriptor failed): no event comes after that one, so every read
   * from then on is done at once, to end of file.
   */
  private volatile boolean hungUp;
  /** The expected size of the next chunk; under the lock. */
  private int expected = SMALLEST;
  /** Errno and the FIONREAD count, on the heap (the calls are linked critical), made on the first read. */
  private MemorySegment state;
  private MemorySegment count;

  NativePipeSource(int fd, int chunk) throws NativeException {
    super(fd);
    this.loop = EventLoop.get();
    this.chunk = chunk;
    loop.add(this, Libc.EPOLLIN | Libc.EPOLLET);
  }

  @Override
  public void read(ReadHandler handler) {
    if (readable || hungUp) {
      readNow(handler);
    } else {
      await(handler);
    }
  }

  @Override
  void ready(int events) {
    if ((events & (Libc.EPOLLHUP | Libc.EPOLLERR)) != 0) {
      hungUp = true;
    }
    readable = true;
    ReadHandler handler = pending.getAndSet(null);
    if (handler != null) {
      readNow(handler);
    }
  }

  /** Reads for {@code handler}, and parks it when the pipe turns out empty. */
  private void readNow(ReadHandler handler) {
    if (!attempt(handler)) {
      await(handler);
    }
  }

  /**
   * Parks {@code handler} until the pipe is readable. An event that came meanwhile, or a close, takes it back: the
   * handler is called exactly once, by whoever takes it out of {@link #pending}.
   */
  private void await(ReadHandler handler) {
    while (true) {
      pending.set(handler);
      if (closed()) {
        endPending();
        return;
      }
      if (!readable && !hungUp) {
        return;
      }
      handler = pending.getAndSet(null);
      if (handler == null || attempt(handler)) {
        return;
      }
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
          if (state == null) {
            state = Libc.heapState();
            count = MemorySegment.ofArray(new int[1]);
          }
          // Cleared before the read: data that arrives after it raises an event that sets it again.
          readable = false;
          buffer = next();
          if (buffer == null) {
            return false;
          }
          boolean measured = expected >= MEASURED;
          n = Posix.read(fd, buffer, state);
          if (n == buffer.length && !measured) {
            // A guess that the pipe filled: more may be there.
            readable = true;
          }
          if (n > 0) {
            adapt((int) n);
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
      handler.onData(n == buffer.length ? ByteBuffer.wrap(buffer)
          : ByteBuffer.wrap(n < buffer.length / 2 ? Arrays.copyOf(buffer, (int) n) : buffer, 0, (int) n).slice());
    } else if (n == 0) {
      handler.onEnd();
    } else if (n == -Libc.EAGAIN) {
      return false;
    } else {
      hungUp = true;
      handler.onError(new NativeException("read", (int) -n));
    }
    return true;
  }

  /**
   * Returns the array for the next read, or null when the pipe is known to be empty. Small chunks are read into
   * an array of the expected size; larger ones into one of what the pipe holds, so that none is over-allocated.
   */
  private byte[] next() {
    if (expected < MEASURED) {
      return new byte[expected];
    }
    int available = Posix.available(fd, state, count);
    if (available > 0) {
      // While data streams in, the next read asks FIONREAD again at once rather than waiting for an event: the
      // child has usually written meanwhile, and sleeping in epoll_wait until it wakes this thread costs more.
      readable = true;
      return new byte[Math.min(available, chunk)];
    }
    // Empty, or at end of file, which FIONREAD does not tell apart: only a read does, once the writers are gone.
    return hungUp || available < 0 ? new byte[SMALLEST] : null;
  }

  /**
   * Grows the expected size at once when a read filled it (to at least {@link #MEASURED}: the pipe holds more, so
   * the next read asks how much), and shrinks it slowly when chunks get small.
   */
  private void adapt(int n) {
    if (n >= expected) {
      expected = Math.min(chunk, Math.max(MEASURED, Math.max(expected * 2, Integer.highestOneBit(n))));
    } else if (n <= expected / 4) {
      expected = Math.max(SMALLEST, expected / 2);
    }
  }

  /** Closes the pipe; a read waiting for data ends, its handler told end of file. */
  @Override
  public void close() {
    loop.close(this);
    endPending();
  }
}

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
 * <p>Each read is one system call into a reused buffer ({@link ReadScratch}), or, when it brings a page or more,
 * as many as the child keeps filling the buffer for; exactly the bytes that came are copied into the array
 * emitted, which then belongs to the subscriber. A handler that only
 * {@linkplain ReadHandler#borrows() borrows} chunks is lent a view of the reused buffer, exactly the chunk long,
 * taken back when it returns. An idle pipe holds no buffer. After a read of a page or more the next one is tried at
 * once, without waiting for the loop: while data streams in, the child has usually written meanwhile, and sleeping
 * in {@code epoll_wait} until it wakes this thread costs more than a read that finds the pipe empty. A pipe of the
 * default capacity that keeps filling faster than this process wakes for it is grown once ({@link PipeGrowth}).
 *
 * <p>Every read calls its handler exactly once: a read of a closed source, and a read still waiting when the
 * source is closed, end with {@code onEnd}.
 */
final class NativePipeSource extends EventLoop.Watch implements PipeSource {
  /** A read of at least this many bytes means data streams in: the next read is tried at once. */
  private static final int STREAMING = 4096;

  private final EventLoop loop;
  private final AtomicReference<ReadHandler> pending = new AtomicReference<>();
  /** Whether the pipe may hold data: set by every event, cleared before each read that may empty it. */
  private volatile boolean readable;
  /**
   * Whether the writers have all closed (or the descriptor failed): no event comes after that one, so every read
   * from then on is done at once, to end of file.
   */
  private volatile boolean hungUp;
  /** The most one read takes: the pipe's capacity, at least the default one; under the lock. */
  private int chunk;
  /** Whether the pipe may still be grown (it has the default capacity); under the lock. */
  private boolean growable;
  /** Whether it was grown, so holds one of {@link PipeGrowth}'s grown pipes; under the lock. */
  private boolean grown;
  /** How many reads after a wait found the pipe full; under the lock. */
  private int fullAfterWait;
  /** Errno, on the heap (the read is linked critical), made on the first read. */
  private MemorySegment state;

  /**
   * Watches {@code fd}, read {@code chunk} bytes at a time at most; {@code growable} when the pipe has the kernel's
   * default capacity and nobody asked for another, so that it may be grown.
   */
  NativePipeSource(int fd, int chunk, boolean growable) throws NativeException {
    super(fd);
    this.loop = EventLoop.get();
    this.chunk = chunk;
    this.growable = growable;
    loop.add(this, Libc.EPOLLIN | Libc.EPOLLET);
  }

  @Override
  public void read(ReadHandler handler) {
    if (readable || hungUp) {
      readNow(handler, false);
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
      readNow(handler, true);
    }
  }

  /**
   * Reads for {@code handler}, and parks it when the pipe turns out empty; {@code afterWait} when the handler
   * waited for this data.
   */
  private void readNow(ReadHandler handler, boolean afterWait) {
    if (!attempt(handler, afterWait)) {
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
      if (handler == null || attempt(handler, false)) {
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
  private boolean attempt(ReadHandler handler, boolean afterWait) {
    boolean lend = handler.borrows();
    byte[] scratch = null;
    ByteBuffer data = null;
    long n;
    try {
      synchronized (this) {
        if (isClosed()) {
          n = 0;
        } else {
          if (state == null) {
            state = Libc.heapState();
          }
          // Cleared before the read: data that arrives after it raises an event that sets it again.
          readable = false;
          int size = Math.min(chunk, ReadScratch.LARGEST);
          scratch = ReadScratch.take(size);
          n = Posix.read(fd, scratch, size, state);
          long first = n;
          if (n >= STREAMING) {
            n = readOn(scratch, (int) n, size);
          }
          if (n > 0) {
            // A lent chunk is a view of the scratch buffer, taken back once the handler returns; sliced, so that
            // it reaches none of the bytes other pipes left beyond it.
            data = lend ? ByteBuffer.wrap(scratch, 0, (int) n).slice()
                : ByteBuffer.wrap(Arrays.copyOf(scratch, (int) n));
          }
          if (!lend) {
            ReadScratch.give(scratch);
            scratch = null;
          }
          if (n >= STREAMING) {
            readable = true;
          }
          if (growable && afterWait && first == chunk && ++fullAfterWait >= PipeGrowth.FULL_AFTER_WAIT) {
            grow();
          }
        }
      }
    } catch (Throwable t) {
      if (scratch != null) {
        ReadScratch.give(scratch);
      }
      // Out of memory for the chunk, say: the handler must hear of it, or the stream would wait forever.
      handler.onError(t);
      Exceptions.throwIfJvmFatal(t);
      return true;
    }
    try {
      if (n > 0) {
        handler.onData(data);
      } else if (n == 0) {
        handler.onEnd();
      } else if (n == -Libc.EAGAIN) {
        return false;
      } else {
        hungUp = true;
        handler.onError(new NativeException("read", (int) -n));
      }
      return true;
    } finally {
      if (scratch != null) {
        ReadScratch.give(scratch);
      }
    }
  }

  /**
   * Goes on reading into {@code scratch} after a read of {@code n} bytes that means data streams in, while the
   * child keeps writing and the buffer has room: a chunk per burst rather than per read, so that a child writing
   * in small blocks (4 KiB from {@code head}, say) costs the subscriber one {@code onNext} per burst and not one per
   * block. Stops at the first read that finds the pipe empty, at end of file or at an error, which the next read
   * meets again: those reads are tried at once ({@code readable} stays set). Returns the bytes in the buffer.
   */
  private int readOn(byte[] scratch, int n, int size) {
    while (n < size) {
      long more = Posix.read(fd, scratch, n, size - n, state);
      if (more <= 0) {
        break;
      }
      n += (int) more;
    }
    return n;
  }

  /** Grows the pipe once to {@link PipeGrowth#GROWN}, if the kernel and the budget allow it; under the lock. */
  private void grow() {
    growable = false;
    try {
      if (Posix.pipeSize(fd) >= PipeGrowth.GROWN) {
        // With pages of 64 KiB a default pipe holds 1 MiB already: setting GROWN would shrink it.
        return;
      }
    } catch (NativeException e) {
      return;
    }
    if (!PipeGrowth.acquire()) {
      return;
    }
    try {
      chunk = Math.max(chunk, Posix.setPipeSize(fd, PipeGrowth.GROWN));
      grown = true;
    } catch (NativeException e) {
      // Over the user's pipe limits (EPERM), say: the pipe keeps its capacity.
      PipeGrowth.release();
    }
  }

  /** Closes the pipe; a read waiting for data ends, its handler told end of file. */
  @Override
  public void close() {
    loop.close(this);
    synchronized (this) {
      if (grown) {
        grown = false;
        PipeGrowth.release();
      }
    }
    endPending();
  }
}

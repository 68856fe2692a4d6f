package dev.subprocess.internal;

import java.nio.ByteBuffer;

/**
 * Writes to a child's stdin pipe one buffer at a time: the backend half of fed input.
 *
 * <p>At most one write is outstanding. The handler is called exactly once per write, on a thread of the
 * backend's choosing, once the whole buffer was written or the pipe broke.
 */
public interface PipeSink {

  /** Receives the outcome of one {@link PipeSink#write}. */
  interface WriteHandler {
    /** Says the whole buffer was written. */
    void onWritten();

    /** Says the child closed its end (broken pipe) or the pipe failed: nothing more can be written. */
    void onBroken(Throwable error);
  }

  /** Writes all of {@code data}, then tells {@code handler}. */
  void write(ByteBuffer data, WriteHandler handler);

  /** Closes this end of the pipe, so that the child reads end of file; after an outstanding write if any. */
  void close();
}

package dev.subprocess.internal;

/**
 * Reads a child's output pipe one chunk at a time, only when asked: the backend half of demand-driven output.
 *
 * <p>At most one read is outstanding. The handler is called exactly once per read, on a thread of the backend's
 * choosing, possibly before {@link #read} returns. After {@link #close()} an outstanding read may still complete;
 * the engine ignores it.
 */
public interface PipeSource {

  /** Receives the outcome of one {@link PipeSource#read}. */
  interface ReadHandler {
    /**
     * Takes a chunk of at least one byte, which now belongs to the handler, unless the handler
     * {@linkplain #borrows() borrows} chunks: then it is lent for the call only.
     */
    void onData(java.nio.ByteBuffer chunk);

    /**
     * Tells whether this handler only borrows chunks: it is done with each one when {@link #onData} returns, so
     * that a source may read into a buffer it reuses and hand that over instead of a copy.
     */
    default boolean borrows() {
      return false;
    }

    /** Says the pipe reached end of file: every writer has closed it. */
    void onEnd();

    /** Says the read failed. */
    void onError(Throwable error);
  }

  /** Reads the next chunk and hands it to {@code handler}. */
  void read(ReadHandler handler);

  /** Closes this end of the pipe. Idempotent; never blocks. */
  void close();
}

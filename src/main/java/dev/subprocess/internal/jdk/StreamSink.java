package dev.subprocess.internal.jdk;

import dev.subprocess.internal.PipeSink;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;

/**
 * Writes to a {@link Process}'s stdin: each write is a blocking {@code write} and {@code flush} on a backend
 * thread. Closing waits for an outstanding write to finish, because closing a buffered stream takes the lock
 * that a blocked write holds.
 */
final class StreamSink implements PipeSink {
  private final OutputStream out;
  private final Executor executor;
  private boolean writing;
  private boolean closeRequested;
  private boolean closed;

  StreamSink(OutputStream out, Executor executor) {
    this.out = out;
    this.executor = executor;
  }

  @Override
  public void write(ByteBuffer data, WriteHandler handler) {
    synchronized (this) {
      if (closed || closeRequested) {
        handler.onBroken(new IOException("stdin is closed"));
        return;
      }
      writing = true;
    }
    executor.execute(() -> {
      Throwable failure = null;
      try {
        writeFully(data);
      } catch (IOException e) {
        failure = e;
      }
      boolean closeNow;
      synchronized (this) {
        writing = false;
        closeNow = closeRequested;
      }
      if (closeNow) {
        closeStream();
      }
      if (failure == null) {
        handler.onWritten();
      } else {
        handler.onBroken(failure);
      }
    });
  }

  /** The blocking write of one buffer (allowed for BlockHound); the handler is called outside it. */
  private void writeFully(ByteBuffer data) throws IOException {
    if (data.hasArray()) {
      out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
    } else {
      byte[] copy = new byte[data.remaining()];
      data.duplicate().get(copy);
      out.write(copy);
    }
    out.flush();
  }

  @Override
  public void close() {
    synchronized (this) {
      closeRequested = true;
      if (writing) {
        return;
      }
    }
    closeStream();
  }

  private void closeStream() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      out.close();
    } catch (IOException ignored) {
      // The child closed its end first: the pipe is gone either way.
    }
  }
}

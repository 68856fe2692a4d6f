package dev.subprocess.internal.ssh;

import dev.subprocess.internal.PipeSource;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.apache.sshd.common.io.IoInputStream;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * Reads stdout or stderr of a remote process from its channel, one chunk per read, only when asked: the
 * channel's window reopens only as chunks are taken, so an unread stream leaves the remote process blocked on
 * its own pipe once one window of data is waiting here.
 */
final class ChannelSource implements PipeSource {
  /** The most bytes one read takes. */
  static final int CHUNK = 64 * 1024;

  private final IoInputStream stream;
  private final Supplier<Throwable> lost;
  private ByteBuffer first;
  private volatile boolean closed;

  /**
   * Reads {@code stream}, whose first bytes {@code first} were read already (or null); at its end, {@code lost}
   * says why the stream broke off, or null when it ended well.
   */
  ChannelSource(IoInputStream stream, ByteBuffer first, Supplier<Throwable> lost) {
    this.stream = stream;
    this.first = first != null && first.hasRemaining() ? first : null;
    this.lost = lost;
  }

  @Override
  public void read(ReadHandler handler) {
    ByteBuffer pending = first;
    if (pending != null) {
      first = null;
      handler.onData(pending);
      return;
    }
    ByteArrayBuffer buffer = new ByteArrayBuffer(CHUNK, false);
    try {
      stream.read(buffer).addListener(done -> {
        Throwable error = done.getException();
        if (error instanceof EOFException || (error == null && done.getRead() < 0)) {
          Throwable why = lost.get();
          if (why == null) {
            handler.onEnd();
          } else {
            handler.onError(why);
          }
        } else if (error != null) {
          handler.onError(error);
        } else {
          handler.onData(ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available()));
        }
      });
    } catch (RuntimeException e) {
      if (closed) {
        handler.onEnd();
      } else {
        handler.onError(e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
  }
}

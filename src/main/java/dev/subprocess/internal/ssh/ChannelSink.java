package dev.subprocess.internal.ssh;

import dev.subprocess.internal.PipeSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.common.io.IoOutputStream;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * Writes the stdin of a remote process into its channel: a write completes once the server's window took it,
 * so a remote process that reads slowly slows the writer down. Closing sends end-of-file after the last write.
 */
final class ChannelSink implements PipeSink {
  private final IoOutputStream stream;
  private final AtomicBoolean closed = new AtomicBoolean();

  ChannelSink(IoOutputStream stream) {
    this.stream = stream;
  }

  @Override
  public void write(ByteBuffer data, WriteHandler handler) {
    ByteArrayBuffer buffer;
    if (data.hasArray()) {
      buffer = new ByteArrayBuffer(data.array(), data.arrayOffset() + data.position(), data.remaining());
    } else {
      byte[] copy = new byte[data.remaining()];
      data.duplicate().get(copy);
      buffer = new ByteArrayBuffer(copy);
    }
    try {
      stream.writeBuffer(buffer).addListener(done -> {
        Throwable error = done.getException();
        if (error == null) {
          data.position(data.limit());
          handler.onWritten();
        } else {
          handler.onBroken(error);
        }
      });
    } catch (IOException | RuntimeException e) {
      handler.onBroken(e);
    }
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      stream.close(false);
    }
  }
}

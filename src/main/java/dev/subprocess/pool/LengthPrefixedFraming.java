package dev.subprocess.pool;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.function.Consumer;

/** Frames requests and responses as a 4-byte big-endian length followed by that many bytes. */
final class LengthPrefixedFraming implements Framing<byte[], byte[]> {
  static final int DEFAULT_MAX_FRAME = 64 << 20;

  private final int maxFrame;

  LengthPrefixedFraming(int maxFrame) {
    this.maxFrame = maxFrame;
  }

  @Override
  public ByteBuffer encode(byte[] request, Charset charset) {
    if (request.length > maxFrame) {
      throw new IllegalArgumentException("a request of " + request.length + " bytes is longer than the framing's"
          + " largest frame of " + maxFrame + " bytes");
    }
    return ByteBuffer.allocate(4 + request.length).putInt(request.length).put(request).flip();
  }

  @Override
  public Decoder<byte[]> newDecoder(Charset charset) {
    return new FrameDecoder();
  }

  /** Reads the length, then the body, across any chunk boundaries. */
  private final class FrameDecoder implements Decoder<byte[]> {
    private final ByteBuffer header = ByteBuffer.allocate(4);
    private byte[] body;
    private int filled;

    @Override
    public void decode(ByteBuffer chunk, Consumer<? super byte[]> responses) {
      while (chunk.hasRemaining()) {
        if (body == null) {
          while (header.hasRemaining() && chunk.hasRemaining()) {
            header.put(chunk.get());
          }
          if (header.hasRemaining()) {
            return;
          }
          int length = header.flip().getInt();
          header.clear();
          if (length < 0 || length > maxFrame) {
            throw new IllegalStateException("the worker announced a response of " + Integer.toUnsignedLong(length)
                + " bytes, more than the framing's largest frame of " + maxFrame + " bytes");
          }
          body = new byte[length];
          filled = 0;
        }
        int n = Math.min(chunk.remaining(), body.length - filled);
        chunk.get(body, filled, n);
        filled += n;
        if (filled == body.length) {
          byte[] done = body;
          body = null;
          responses.accept(done);
        }
      }
    }

    @Override
    public boolean hasPartial() {
      return body != null || header.position() > 0;
    }
  }
}

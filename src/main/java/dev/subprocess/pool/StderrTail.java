package dev.subprocess.pool;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.util.function.Consumer;

/**
 * Keeps the last bytes of a worker's stderr for its error messages, and cuts it into lines for the DEBUG log.
 * Fed by one stream at a time; read from any thread.
 */
final class StderrTail {
  static final int CAPACITY = 8 * 1024;

  private final byte[] ring = new byte[CAPACITY];
  private final Charset charset;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private long total;

  StderrTail(Charset charset) {
    this.charset = charset;
  }

  /** Keeps {@code chunk}, and hands each line it completes to {@code lines} when that is not null. */
  synchronized void add(ByteBuffer chunk, Consumer<String> lines) {
    for (int i = chunk.position(); i < chunk.limit(); i++) {
      byte b = chunk.get(i);
      ring[(int) (total++ % CAPACITY)] = b;
      if (lines != null) {
        if (b == '\n') {
          lines.accept(line.toString(charset));
          line.reset();
        } else if (line.size() < CAPACITY) {
          line.write(b);
        }
      }
    }
  }

  /** Returns the last bytes kept, oldest first. */
  synchronized byte[] bytes() {
    int n = (int) Math.min(total, CAPACITY);
    byte[] out = new byte[n];
    long from = total - n;
    for (int i = 0; i < n; i++) {
      out[i] = ring[(int) ((from + i) % CAPACITY)];
    }
    return out;
  }
}

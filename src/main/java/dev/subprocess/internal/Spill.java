package dev.subprocess.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds the bytes of a large capture until it is read whole, so that growing it never copies what it holds:
 * the chunks themselves are kept (the capture owns them), and {@link #toArray} copies them once into the array
 * that is handed over. The Java 22 layer of the jar replaces this class with one that keeps the bytes outside the
 * heap, so that the heap holds the output about once rather than twice at the end.
 */
final class Spill {
  private final List<ByteBuffer> chunks = new ArrayList<>();
  private long size;

  /** Keeps {@code n} bytes of {@code chunk} from its position, which moves past them. */
  void append(ByteBuffer chunk, int n) {
    ByteBuffer kept = chunk.slice(chunk.position(), n);
    chunk.position(chunk.position() + n);
    chunks.add(kept);
    size += n;
  }

  /** Appends {@code n} bytes of {@code bytes} from its start. */
  void append(byte[] bytes, int n) {
    append(ByteBuffer.wrap(bytes, 0, n), n);
  }

  /** Returns how many bytes are held. */
  long size() {
    return size;
  }

  /** Returns what is held as one array of its exact size, and lets go of the chunks. */
  byte[] toArray() {
    byte[] all = new byte[(int) size];
    int at = 0;
    for (int i = 0; i < chunks.size(); i++) {
      ByteBuffer chunk = chunks.set(i, null);
      int n = chunk.remaining();
      chunk.get(all, at, n);
      at += n;
    }
    free();
    return all;
  }

  /** Lets go of what is held. Idempotent. */
  void free() {
    chunks.clear();
    size = 0;
  }
}

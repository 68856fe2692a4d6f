package dev.subprocess.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Holds the bytes of a large capture outside the heap until it is read whole: each chunk is copied into blocks of
 * native memory and left to the garbage collector, and {@link #toArray} copies the blocks once into the array
 * that is handed over, then frees them. The heap so holds the output about once, where a growing array held it
 * up to three times (the old array, the doubled one, and the final copy). The memory is freed by
 * {@link #toArray} or {@link #free}, or by the garbage collector should the capture be dropped without either.
 */
final class Spill {
  /** The first block's size; each next one doubles, up to {@link #LARGEST}. */
  private static final long SMALLEST = 1L << 20;
  private static final long LARGEST = 64L << 20;
  private final Blocks blocks = new Blocks();
  private final Cleaner.Cleanable cleanable = Engine.cleaner().register(this, blocks);
  private long size;
  /** The block being filled, and how much of it is. */
  private MemorySegment block;
  private long used;

  /** Copies {@code n} bytes of {@code chunk} from its position, which moves past them. */
  void append(ByteBuffer chunk, int n) {
    int at = chunk.position();
    ByteBuffer part = chunk.slice(at, n);
    chunk.position(at + n);
    MemorySegment from = MemorySegment.ofBuffer(part);
    long done = 0;
    while (done < n) {
      if (block == null || used == block.byteSize()) {
        long next = block == null ? SMALLEST : Math.min(LARGEST, block.byteSize() * 2);
        block = blocks.allocate(next);
        used = 0;
      }
      long k = Math.min(n - done, block.byteSize() - used);
      MemorySegment.copy(from, done, block, used, k);
      done += k;
      used += k;
    }
    size += n;
  }

  /** Copies {@code n} bytes of {@code bytes} from its start. */
  void append(byte[] bytes, int n) {
    append(ByteBuffer.wrap(bytes, 0, n), n);
  }

  /** Returns how many bytes are held. */
  long size() {
    return size;
  }

  /** Returns what is held as one array of its exact size, and frees the native memory. */
  byte[] toArray() {
    byte[] all = new byte[(int) size];
    long at = 0;
    for (MemorySegment b : blocks.list) {
      long k = Math.min(b.byteSize(), size - at);
      MemorySegment.copy(b, ValueLayout.JAVA_BYTE, 0, all, (int) at, (int) k);
      at += k;
    }
    free();
    return all;
  }

  /** Frees what is held. Idempotent. */
  void free() {
    cleanable.clean();
    block = null;
    size = 0;
    used = 0;
  }

  /** The native blocks, owned by one shared arena: what the cleaner frees, holding no reference to the spill. */
  private static final class Blocks implements Runnable {
    private final Arena arena = Arena.ofShared();
    final List<MemorySegment> list = new ArrayList<>();

    MemorySegment allocate(long bytes) {
      MemorySegment b = arena.allocate(bytes, 64);
      list.add(b);
      return b;
    }

    @Override
    public void run() {
      list.clear();
      arena.close();
    }
  }
}

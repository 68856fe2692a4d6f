package dev.subprocess.internal.linux;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A few reusable read buffers, shared by every pipe of the process. A pipe is read into one, and exactly the bytes
 * that came are copied into the array handed on, which the JIT allocates without zeroing first: one system call
 * for any amount, no {@code FIONREAD} to size the array, and the read lands in memory that stays in the cache
 * where a fresh array would be memory the JVM has just zeroed.
 *
 * <p>Reads on different threads (the event loop, a subscriber's thread asking for more) each take a buffer of
 * their own; when every buffer is taken, a fresh one is made and may be kept on return. At most {@link #SLOTS}
 * buffers are kept, each at most {@link #LARGEST} bytes: a few hundred KiB for the default pipes, 1 MiB at
 * most for pipes made larger.
 */
final class ReadScratch {
  /** How many buffers are kept. */
  static final int SLOTS = 4;
  /** The largest buffer kept: larger pipes are read this much at a time. */
  static final int LARGEST = 256 * 1024;

  private static final AtomicReferenceArray<byte[]> KEPT = new AtomicReferenceArray<>(SLOTS);

  private ReadScratch() {}

  /** Takes a buffer of at least {@code size} bytes (at most {@link #LARGEST}), for {@link #give} to take back. */
  static byte[] take(int size) {
    for (int i = 0; i < SLOTS; i++) {
      byte[] kept = KEPT.getPlain(i);
      if (kept != null && kept.length >= size && KEPT.compareAndSet(i, kept, null)) {
        return kept;
      }
    }
    return new byte[size];
  }

  /** Gives {@code buffer} back: kept in a free slot, or in place of a smaller one, or dropped. */
  static void give(byte[] buffer) {
    for (int i = 0; i < SLOTS; i++) {
      if (KEPT.getPlain(i) == null && KEPT.compareAndSet(i, null, buffer)) {
        return;
      }
    }
    for (int i = 0; i < SLOTS; i++) {
      byte[] kept = KEPT.getPlain(i);
      if (kept != null && kept.length < buffer.length && KEPT.compareAndSet(i, kept, buffer)) {
        return;
      }
    }
  }
}

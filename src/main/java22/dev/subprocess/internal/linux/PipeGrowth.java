package dev.subprocess.internal.linux;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * When an output pipe of the default capacity is grown, and how many may be grown at once. A pipe whose child fills
 * it whole in the time this process takes to wake up for it (a writer of large blocks, such as {@code dd bs=1M},
 * into a pipe read as fast as it fills) is throttled by the wake-ups, not by the reader: each 64 KiB costs a sleep
 * and a wake-up on both sides. Made {@link #GROWN} bytes, it carries the same stream three to four times as fast.
 * Such a pipe is grown once, as a network stack grows a receive window that keeps filling.
 *
 * <p>A pipe is grown only when a read that waited for data found it full, {@link #FULL_AFTER_WAIT} times: a
 * subscriber slower than the child finds the pipe full without waiting, and keeps the default capacity, so
 * backpressure reaches the child as soon as before. Pipe memory counts against the user's
 * {@code /proc/sys/fs/pipe-user-pages-soft} (past it, every new pipe of the user gets one page), so at most
 * {@link #AT_ONCE} pipes of this process are grown at a time: {@code 16 MiB}, a quarter of the usual soft limit. A
 * pipe given an explicit capacity ({@code pipeSize}) is never changed.
 */
final class PipeGrowth {
  /** The capacity a pipe is grown to. */
  static final int GROWN = 256 * 1024;
  /** How many reads after a wait must find the pipe full before it is grown. */
  static final int FULL_AFTER_WAIT = 4;
  /** How many pipes may be grown at a time. */
  static final int AT_ONCE = 64;

  private static final AtomicInteger LEFT = new AtomicInteger(AT_ONCE);

  private PipeGrowth() {}

  /** Takes one of the grown pipes allowed; false when all are taken. */
  static boolean acquire() {
    int left;
    do {
      left = LEFT.get();
      if (left <= 0) {
        return false;
      }
    } while (!LEFT.compareAndSet(left, left - 1));
    return true;
  }

  /** Gives back what {@link #acquire} took, once the pipe is closed or could not be grown. */
  static void release() {
    LEFT.incrementAndGet();
  }
}

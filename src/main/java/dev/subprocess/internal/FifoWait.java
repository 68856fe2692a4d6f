package dev.subprocess.internal;

import dev.subprocess.Redirect;
import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for the other end of every FIFO that a start redirects to or from, on a thread of its own, so that no
 * subscriber's thread (a Reactor thread, perhaps) ever blocks in {@code open()}: opening a FIFO blocks until it
 * has both a reader and a writer. This process opens each FIFO the way the child will use it (the wait), then its
 * other end (at once), and holds both open while the start runs on that thread, so that the backend's own open
 * of it returns at once, even if the partner that came has gone again.
 *
 * <p>A cancelled wait ends: the canceller opens the other end of the FIFO being waited on, on a short-lived
 * thread of its own, which completes the open the waiting thread is in (that one counts as the partner it needs),
 * and both close again without starting anything. No thread stays stuck in an open, with one exception: when
 * this process may open the FIFO only the way the child would use it (a FIFO it may write but not read, say), the
 * canceller cannot open the other end, and the waiting thread ends when the partner comes, starting nothing.
 */
final class FifoWait {
  private static final Logger log = LoggerFactory.getLogger(FifoWait.class);
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final int S_IFMT = 0170000;
  private static final int S_IFIFO = 0010000;

  private static final int IDLE = 0;
  private static final int OPENING = 1;
  private static final int DONE = 2;
  private static final int CANCELLED = 3;

  /** One FIFO, and whether the child writes it (an output redirect) or reads it (stdin). */
  private record End(Path path, boolean write) {}

  private final List<End> ends;
  private final AtomicInteger state = new AtomicInteger(IDLE);
  private final CountDownLatch unblocked = new CountDownLatch(1);
  private volatile End current;

  private FifoWait(List<End> ends) {
    this.ends = ends;
  }

  /** Returns the wait for the FIFOs that {@code launches} redirect to or from, or null when they name none. */
  static FifoWait of(List<LaunchSpec> launches) {
    List<End> ends = new ArrayList<>();
    for (LaunchSpec launch : launches) {
      add(ends, launch.stdin(), false);
      add(ends, launch.stdout(), true);
      add(ends, launch.stderr(), true);
    }
    return ends.isEmpty() ? null : new FifoWait(ends);
  }

  private static void add(List<End> ends, Redirect redirect, boolean write) {
    if (redirect.file() != null && isFifo(redirect.file())) {
      ends.add(new End(redirect.file(), write));
    }
  }

  private static boolean isFifo(Path file) {
    try {
      return (((Integer) Files.getAttribute(file, "unix:mode")) & S_IFMT) == S_IFIFO;
    } catch (IOException | RuntimeException notAFifoWeCanSee) {
      return false;
    }
  }

  /**
   * On a new thread, opens every FIFO (waiting for its other end), then runs {@code start} while they are held,
   * then closes them; after a {@link #cancel()}, runs {@code cancelled} instead of {@code start}.
   */
  void thenRun(Runnable start, Runnable cancelled) {
    Thread t = new Thread(() -> {
      List<Closeable> held = new ArrayList<>();
      try {
        if (openAll(held)) {
          start.run();
        } else {
          cancelled.run();
        }
      } finally {
        held.forEach(FifoWait::closeQuietly);
      }
    }, "subprocess-fifo-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    t.start();
  }

  /** Opens each FIFO in turn; returns false when the wait was cancelled. A failed open is left to the start. */
  private boolean openAll(List<Closeable> held) {
    for (End end : ends) {
      current = end;
      if (!state.compareAndSet(IDLE, OPENING)) {
        return false;
      }
      boolean opened = false;
      try {
        held.add(open(end, end.write()));
        opened = true;
        // The other end as well, which no longer waits: the backend's open cannot block even if the partner
        // that came has gone again, and what it wrote stays in the FIFO for the child.
        held.add(open(end, !end.write()));
      } catch (IOException e) {
        log.debug("cannot open the FIFO {}: {}; the start reports it", end.path(), e.toString());
      }
      if (!state.compareAndSet(OPENING, IDLE)) {
        if (opened) {
          awaitUnblocker();
        }
        return false;
      }
    }
    return state.compareAndSet(IDLE, DONE);
  }

  /** Waits for the canceller's open of the other end, which cannot block while this side is held open. */
  private void awaitUnblocker() {
    boolean interrupted = false;
    while (true) {
      try {
        unblocked.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends the wait: an open in progress is completed from the other end, and nothing is started. */
  void cancel() {
    if (state.compareAndSet(IDLE, CANCELLED)) {
      unblocked.countDown();
      return;
    }
    if (state.compareAndSet(OPENING, CANCELLED)) {
      End end = current;
      Thread t = new Thread(() -> {
        try {
          closeQuietly(open(end, !end.write()));
        } catch (IOException e) {
          log.debug("cannot open the other end of the FIFO {}: {}", end.path(), e.toString());
        } finally {
          unblocked.countDown();
        }
      }, "subprocess-fifo-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      t.start();
    }
  }

  private static Closeable open(End end, boolean write) throws IOException {
    return write ? new FileOutputStream(end.path().toFile(), true) : new FileInputStream(end.path().toFile());
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // Closing a FIFO end fails only when it is closed already.
    }
  }
}

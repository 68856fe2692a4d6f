package dev.subprocess.internal.jdk;

import dev.subprocess.internal.LibraryThread;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns the threads of the JDK backend. {@link ProcessBuilder}'s streams block, so each start, each pipe being
 * read and each stdin being written holds a thread while it works; idle threads end after a second.
 * The threads are daemons named {@value #PREFIX}N, and Reactor non-blocking threads ({@link LibraryThread}), as
 * the Linux backend's event loop is, so that what a subscriber may do on the thread that signals it is the same
 * on both backends. The blocking reads and writes of the streams themselves are allowed for BlockHound.
 */
final class JdkThreads {
  /** The name prefix of every thread of this backend. */
  static final String PREFIX = "subprocess-jdk-";

  private static final AtomicInteger COUNT = new AtomicInteger();

  static final Executor EXECUTOR = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS,
      new IdleQueue(), JdkThreads::newThread);

  private JdkThreads() {}

  private static Thread newThread(Runnable task) {
    return new LibraryThread(task, PREFIX + COUNT.incrementAndGet());
  }

  /**
   * Hands tasks to idle threads. Its own class so that BlockHound can allow exactly the wait of an idle thread
   * for work ({@code poll}), not every wait on these threads.
   */
  static final class IdleQueue extends SynchronousQueue<Runnable> {
    private static final long serialVersionUID = 1L;

    @Override
    public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
      return super.poll(timeout, unit);
    }
  }
}

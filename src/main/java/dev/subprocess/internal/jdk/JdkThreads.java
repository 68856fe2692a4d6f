package dev.subprocess.internal.jdk;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns the threads of the JDK backend. {@link ProcessBuilder}'s streams block, so each start, each pipe being
 * read and each stdin being written holds a thread while it works; idle threads end after a second.
 * The threads are daemons named {@value #PREFIX}N.
 */
final class JdkThreads {
  /** The name prefix of every thread of this backend. */
  static final String PREFIX = "subprocess-jdk-";

  private static final AtomicInteger COUNT = new AtomicInteger();

  static final Executor EXECUTOR = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS,
      new SynchronousQueue<>(), JdkThreads::newThread);

  private JdkThreads() {}

  private static Thread newThread(Runnable task) {
    Thread t = new Thread(task, PREFIX + COUNT.incrementAndGet());
    t.setDaemon(true);
    return t;
  }
}

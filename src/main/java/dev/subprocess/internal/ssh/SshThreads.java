package dev.subprocess.internal.ssh;

import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Owns the threads of the SSH launcher, all daemons named {@value #PREFIX}...: the start threads, which connect
 * and open channels (blocking work) and end after a second idle, and the factories for the I/O and timer
 * threads of each SSH client, which end when the client stops.
 */
final class SshThreads {
  /** The name prefix of every thread of the SSH launcher. */
  static final String PREFIX = "subprocess-ssh-";

  private static final AtomicInteger STARTS = new AtomicInteger();

  /** Where starts run: connecting, authenticating, opening a channel, reading the remote pid. */
  static final Executor START = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 1, TimeUnit.SECONDS,
      new SynchronousQueue<>(), factory("start-", STARTS));

  private SshThreads() {}

  /** Returns a factory of daemon threads named {@value #PREFIX}{@code kind}N. */
  static ThreadFactory factory(String kind, AtomicInteger count) {
    return task -> {
      Thread t = new Thread(task, PREFIX + kind + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}

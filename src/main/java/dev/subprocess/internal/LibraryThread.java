package dev.subprocess.internal;

import reactor.core.scheduler.NonBlocking;

/**
 * A thread of the library (the Linux backend's event loop, the JDK backend's pipe threads), marked as a Reactor
 * non-blocking thread as Netty's event loops are: output, exits and stdin progress of every process are signalled
 * on these threads, so a subscriber that blocks on one stalls other processes. Reactor refuses {@code block()}
 * here at once, and BlockHound (through {@link SubprocessBlockHoundIntegration}) reports any other blocking call
 * made downstream; blocking work belongs on {@code publishOn(Schedulers.boundedElastic())}.
 *
 * <p>The library's own blocking calls on these threads (the JDK backend's stream reads and writes) are allowed
 * by that integration, and only they.
 */
public final class LibraryThread extends Thread implements NonBlocking {

  /** Makes a daemon thread named {@code name} that runs {@code task}. */
  public LibraryThread(Runnable task, String name) {
    super(task, name);
    setDaemon(true);
  }
}

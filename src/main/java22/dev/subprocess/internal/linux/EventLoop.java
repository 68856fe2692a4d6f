package dev.subprocess.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import dev.subprocess.internal.LibraryThread;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every descriptor of the native backend (pipe ends and pidfds) with one epoll instance and one daemon
 * thread, {@value #THREAD_NAME}, for all processes. The thread is a Reactor non-blocking thread
 * ({@link LibraryThread}): a subscriber that blocks on it would stall every process, so
 * Reactor refuses {@code block()} there. Interest is one-shot: a watch is armed for one readiness
 * event when its owner needs one (a read with demand, a write that found the pipe full, an exit to await) and
 * is disarmed by the event itself, so a descriptor nobody waits on costs nothing. Output pipes are the
 * exception: they are watched edge-triggered, told of every arrival without being re-armed, so that a child
 * writing a line at a time costs one {@code epoll_wait} and one {@code read} per line.
 *
 * <p>{@code epoll_ctl} is thread-safe, so any thread arms a watch directly. Every operation on a watch's
 * descriptor happens under the watch's lock and after a check that it is still open, so a descriptor closed
 * and reused by another open can never be touched by mistake.
 */
final class EventLoop implements Runnable {
  static final String THREAD_NAME = "subprocess-epoll";

  private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
  private static final int MAX_EVENTS = 256;
  /** The token of the descriptor that wakes the loop at the JVM's exit: no watch has it. */
  private static final long WAKE_TOKEN = 0;

  private final int epfd;
  private final Map<Long, Watch> watches = new ConcurrentHashMap<>();
  private final AtomicLong tokens = new AtomicLong();
  /** Set at the JVM's exit, from when the loop polls ({@link #exiting()}). */
  private volatile boolean exiting;

  private EventLoop() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.state(arena);
      long fd = Libc.syscall(state, Libc.SYS_EPOLL_CREATE1, Libc.EPOLL_CLOEXEC, 0, 0, 0, 0, 0);
      if (fd < 0) {
        throw new IllegalStateException(new NativeException("epoll_create1", Libc.errno(state)));
      }
      epfd = (int) fd;
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
    new LibraryThread(this, THREAD_NAME).start();
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(this::exiting, THREAD_NAME + "-exit"));
    } catch (IllegalStateException shuttingDown) {
      exiting = true;
    }
  }

  /**
   * At the JVM's exit, has the loop poll, waiting between polls in Java instead of in {@code epoll_wait}: once every
   * shutdown hook has run, the JVM waits up to 300 ms for any thread still in native code to leave it
   * ({@code -XX:UserThreadWaitAttemptsAtExit}), and the loop would never leave. Meanwhile it serves the processes
   * that shutdown hooks stop or run, within a millisecond. Woken by an eventfd that is readable at once.
   */
  private void exiting() {
    exiting = true;
    try (Arena arena = Arena.ofConfined()) {
      long fd = Libc.syscall(Libc.state(arena), Libc.SYS_EVENTFD2, 1, Libc.EFD_CLOEXEC, 0, 0, 0, 0);
      if (fd >= 0) {
        ctl(Libc.EPOLL_CTL_ADD, (int) fd, Libc.EPOLLIN | Libc.EPOLLONESHOT, WAKE_TOKEN);
      }
    } catch (Throwable e) {
      log.debug("cannot wake the event loop at the JVM's exit", e);
    }
  }

  /** Returns the loop, started on first use. */
  static EventLoop get() {
    return Holder.LOOP;
  }

  private static final class Holder {
    static final EventLoop LOOP = new EventLoop();
  }

  /** A descriptor watched by the loop, owned by the object that reads, writes or reaps through it. */
  abstract static class Watch {
    final int fd;
    final long token;
    private boolean closed;
    /** Whether other descriptors of this process refer to the same open file; under this watch's lock. */
    private boolean shared;

    Watch(int fd) {
      this.fd = fd;
      this.token = get().tokens.incrementAndGet();
    }

    /** Runs on the loop thread when the armed readiness arrived. */
    abstract void ready(int events);

    /**
     * Tells the loop that other descriptors of this process refer to this descriptor's open file (a terminal's
     * master, which its reader and its writer each hold a duplicate of): its close then takes it out of epoll
     * itself, since the close alone would not while the others are open.
     */
    final synchronized void sharesItsFile() {
      shared = true;
    }

    /** Tells whether the descriptor was closed; call while holding this watch's lock. */
    final boolean isClosed() {
      return closed;
    }
  }

  /** Starts watching {@code watch}'s descriptor, disarmed. */
  void add(Watch watch) throws NativeException {
    add(watch, Libc.EPOLLONESHOT);
  }

  /**
   * Starts watching {@code watch}'s descriptor for {@code events}: {@code EPOLLONESHOT} alone registers it
   * disarmed, for {@link #arm}; {@code EPOLLIN | EPOLLET} has it told of every arrival without re-arming.
   */
  void add(Watch watch, int events) throws NativeException {
    watches.put(watch.token, watch);
    int rc = ctl(Libc.EPOLL_CTL_ADD, watch.fd, events, watch.token);
    if (rc != 0) {
      watches.remove(watch.token);
      throw new NativeException("epoll_ctl", -rc);
    }
  }

  /** Arms {@code watch} for one event of {@code events} (EPOLLIN or EPOLLOUT); does nothing once it is closed. */
  void arm(Watch watch, int events) {
    synchronized (watch) {
      if (!watch.closed) {
        int rc = ctl(Libc.EPOLL_CTL_MOD, watch.fd, events | Libc.EPOLLONESHOT, watch.token);
        if (rc != 0) {
          log.warn("cannot arm descriptor {}: {}", watch.fd, Libc.errorText(-rc));
        }
      }
    }
  }

  /**
   * Stops watching {@code watch} and closes its descriptor. Idempotent. The close alone ends the watch: epoll
   * forgets a descriptor when its file's last descriptor closes. Should a child being spawned meanwhile hold a
   * copy until its exec, the registration outlives the close until then, and its events find no watch here (each
   * watch has a token of its own), so the {@code EPOLL_CTL_DEL} that would cost a system call is not made. A watch
   * whose file this process holds other descriptors of ({@link Watch#sharesItsFile}) is deleted first: its
   * registration would outlive the close for as long as they are open, woken by every event of the file.
   */
  void close(Watch watch) {
    synchronized (watch) {
      if (watch.closed) {
        return;
      }
      watch.closed = true;
      if (watch.shared) {
        ctl(Libc.EPOLL_CTL_DEL, watch.fd, 0, 0);
      }
      Posix.close(watch.fd);
    }
    watches.remove(watch.token);
  }

  /** Returns how many descriptors are watched. */
  int size() {
    return watches.size();
  }

  private int ctl(int op, int fd, int events, long token) {
    // In native memory: the system call takes the event's address, which a heap segment does not have.
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.state(arena);
      MemorySegment event = arena.allocate(Libc.EPOLL_EVENT_BYTES, 8);
      event.set(JAVA_INT_UNALIGNED, 0, events);
      event.set(JAVA_LONG_UNALIGNED, Libc.EPOLL_DATA_OFFSET, token);
      long rc = Libc.syscall(state, Libc.SYS_EPOLL_CTL, epfd, op, fd, event.address(), 0, 0);
      return rc == 0 ? 0 : -Libc.errno(state);
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  @Override
  public void run() {
    // Owned by the loop thread, for as long as it runs.
    try (Arena arena = Arena.ofConfined()) {
      loop(Libc.state(arena), arena.allocate(Libc.EPOLL_EVENT_BYTES * MAX_EVENTS, 8));
    }
  }

  private void loop(MemorySegment state, MemorySegment events) {
    while (true) {
      int n;
      boolean polling = exiting;
      try {
        // epoll_pwait with no signal mask is epoll_wait
        n = (int) Libc.syscall(state, Libc.SYS_EPOLL_PWAIT, epfd, events.address(), MAX_EVENTS, polling ? 0 : -1,
            0, 0);
      } catch (Throwable t) {
        throw Thrown.asError(t);
      }
      if (polling && n == 0) {
        LockSupport.parkNanos(1_000_000);
        continue;
      }
      if (n < 0) {
        int errno = Libc.errno(state);
        if (errno != Libc.EINTR) {
          log.error("epoll_wait failed: {}; the native backend's event loop stops", Libc.errorText(errno));
          return;
        }
        continue;
      }
      for (int i = 0; i < n; i++) {
        long base = i * Libc.EPOLL_EVENT_BYTES;
        int ready = events.get(JAVA_INT, base);
        Watch watch = watches.get(events.get(JAVA_LONG_UNALIGNED, base + Libc.EPOLL_DATA_OFFSET));
        if (watch != null) {
          try {
            watch.ready(ready);
          } catch (Throwable t) {
            failed(t);
          }
        }
      }
    }
  }

  /**
   * Logs what a callback threw; the stream or process it served has been failed and stopped by then. Nothing
   * escapes, not even a logger out of memory: the loop serves every other process of the JVM.
   */
  private static void failed(Throwable t) {
    try {
      log.error("a callback of the native backend failed", t);
    } catch (Throwable ignored) {
      // The error was already handled where it happened; only its log line is lost.
    }
  }
}

package dev.subprocess.internal;

import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops this JVM's children when the JVM dies, however it dies (SIGKILL, the OOM killer, a crash): one small
 * process per JVM, started ahead of the first child, that reads a pipe from this JVM and acts when it reads end of
 * file, which the kernel delivers when the JVM's last descriptor of the pipe closes, at its death.
 *
 * <p>The JVM writes one line per started child ({@code + PID g} for a child that leads its process group,
 * {@code + PID p} for one that does not) and one per reaped child ({@code - PID}). A started child's line is
 * written before its start returns; a reaped child's line waits for the next one (or at most
 * 50 ms, written by the watchdog's writer thread), so that awk is woken once per child and the
 * thread that reaps never writes. At end of file the watchdog exits at once if nobody is registered (at a normal
 * exit, {@link #close()}); otherwise it
 * sends SIGTERM to every registered group, pid and descendant of a registered pid (found by walking {@code /proc},
 * which also finds descendants that left the group), waits a second, and sends SIGKILL to those still there. A pid
 * or group whose process started after the JVM died (a reused number) is left alone: the watchdog compares start
 * times with its own {@code /proc} walk, which starts after the JVM died.
 *
 * <p>It is {@code /bin/sh} running {@code awk} (POSIX tools, present wherever a shell is), with its stdout and
 * stderr on {@code /dev/null}, its working directory {@code /}, and SIGHUP, SIGINT, SIGQUIT and SIGTERM ignored,
 * so that Ctrl-C on the terminal or a SIGTERM to the JVM's process group leaves it to do its job when the JVM is
 * gone. It is started with {@link ProcessBuilder} on both backends (the JDK reaps it). A watchdog that cannot
 * start or that dies is reported once with a WARN line; the children are then stopped only at a normal exit. The
 * JVM does not wait for it to come up: lines written meanwhile wait in the pipe, and the writer thread checks that
 * awk runs.
 *
 * <p>A starting thread never waits long for the watchdog: it writes its line itself only while the pipe holds
 * little that awk has not read (the pipe's read end, opened again through {@code /proc}, tells how much), so that
 * the write cannot block; otherwise it hands the line to the writer thread and waits up to
 * {@value #STALL_SECONDS} s for it to be written. A watchdog that does not read within that time (stopped, or
 * starved of CPU) is reported once with a WARN line, and starts go on without waiting for it; their lines are
 * written as soon as it reads again.
 */
final class Watchdog {
  private static final Logger log = LoggerFactory.getLogger(Watchdog.class);

  private static final String AWK = String.join("\n",
      "function lastparen(s,  i) { for (i = length(s); i > 0; i--) if (substr(s, i, 1) == \")\") return i; return 0 }",
      "function scan(  cmd, line, f, pid, first) {",
      "  split(\"\", start); split(\"\", kids); first = 1",
      "  cmd = \"cat /proc/self/stat /proc/[0-9]*/stat 2>/dev/null\"",
      "  while ((cmd | getline line) > 0) {",
      "    pid = substr(line, 1, index(line, \" \") - 1)",
      "    split(substr(line, lastparen(line) + 2), f, \" \")",
      "    if (first) { if (t0 == \"\") t0 = f[20] + 0; first = 0; continue }",
      "    start[pid] = f[20] + 0; kids[f[2]] = kids[f[2]] \" \" pid",
      "  }",
      "  close(cmd)",
      "}",
      "function ours(p) { return (p in start) && start[p] <= t0 }",
      "function anyLive(  p) { for (p in live) return 1; return 0 }",
      "function mark(p,  n, k, i) {",
      "  if ((p in visited) || !ours(p)) return",
      "  visited[p] = 1; seen[p] = 1",
      "  n = split(kids[p], k, \" \")",
      "  for (i = 1; i <= n; i++) mark(k[i])",
      "}",
      "function stop(sig,  p, t) {",
      "  scan(); split(\"\", visited); t = \"\"",
      "  for (p in live) mark(p)",
      "  for (p in live) if (live[p] == \"g\" && (!(p in start) || start[p] <= t0)) t = t \" -\" p",
      "  for (p in seen) if (ours(p)) t = t \" \" p",
      "  if (t != \"\") system(\"kill -\" sig \" \" t \" 2>/dev/null\")",
      "  return t != \"\"",
      "}",
      "BEGIN { print \"ready\"; fflush() }",
      "$1 == \"+\" { live[$2] = $3; next }",
      "$1 == \"-\" { delete live[$2]; next }",
      "END { if (anyLive() && stop(\"TERM\")) { system(\"sleep 1\"); stop(\"KILL\") } }");

  private static final String SCRIPT = "trap '' HUP INT QUIT TERM\nexec awk '" + AWK + "'";

  /** How long a reaped child's line may wait for company before it is written on its own. */
  private static final long BATCH_NANOS = 50_000_000L;
  /** How long a start waits for its line to be written before it goes on without: the watchdog is stalled. */
  static final long STALL_SECONDS = 5;
  /**
   * The most bytes awk may have left unread for a start to write its line itself: with the waiting lines it takes
   * at most {@link #DIRECT_LINES} of, the write then fits in a pipe of a single page without blocking (a pipe made
   * while its user is over {@code fs.pipe-user-pages-soft} has one or two pages, not the default sixteen).
   */
  private static final int DIRECT_UNREAD = 2048;
  /** The most waiting lines that a start writes with its own: with it at most 129 lines of 12 bytes, 1,548 bytes. */
  private static final int DIRECT_LINES = 128;

  private final Process process;
  private final OutputStream pipe;
  /**
   * The read end of the pipe, opened again through {@code /proc}: its {@code available()} is what awk has not
   * read. Null where it cannot be opened: every line then goes through the writer thread. It is closed when the
   * watchdog exits, so that a write into the pipe that nobody reads any more fails instead of blocking.
   */
  private final FileInputStream unread;
  /** Lines not written yet: reaped children, and children started on the event loop. In order. */
  private final Queue<String> pending = new ConcurrentLinkedQueue<>();
  /** How many lines were added to {@link #pending}, counted under its monitor, so that the n-th added is line n. */
  private long added;
  /** How many lines were taken out of {@link #pending} to be written; guarded by {@link #lock}. */
  private long taken;
  /** How many of the lines taken out of {@link #pending} have been written; guarded by {@link #progress}. */
  private long written;
  private final Object progress = new Object();
  /** Held by every write of the pipe, and while {@link #broken} or {@link #closed} is set. */
  private final ReentrantLock lock = new ReentrantLock();
  private final StringBuilder buffer = new StringBuilder(64);
  /** Set when a start waited {@value #STALL_SECONDS} s for its line: starts no longer wait, until a write succeeds. */
  private volatile boolean stalled;
  private final AtomicBoolean stallReported = new AtomicBoolean();
  /** When the write under way began ({@link System#nanoTime()}), or 0 when no write is under way. */
  private volatile long writing;
  private final Thread writer;
  /** Set when a line waits that must not wait for company: a child registered by the writer. */
  private volatile boolean urgent;
  /** Set while the writer waits for a first line; only then does a reaped child's line wake it. */
  private volatile boolean idle;
  /** Set under {@link #lock}, which every write of the pipe holds. */
  private volatile boolean broken;
  /** Set, with {@link #broken}, when the JVM's exit closed the pipe: later children go to another watchdog. */
  private volatile boolean closed;

  private Watchdog(Process process) {
    this.process = process;
    this.pipe = process.getOutputStream();
    this.unread = openReadEnd(process);
    if (unread != null) {
      process.onExit().thenRun(this::closeReadEnd);
    }
    this.writer = new Thread(this::writeLoop, WRITER_THREAD);
    writer.setDaemon(true);
    writer.start();
  }

  /** The thread that checks that the watchdog came up and writes the lines that no caller writes itself. */
  static final String WRITER_THREAD = "subprocess-watchdog";

  /**
   * Returns the watchdog, started on first use, or null when it could not start. Once the JVM's exit closed it
   * ({@link #close}), returns another one, started for the children that the rest of the exit starts (another
   * shutdown hook, or a thread still running): it lives until the JVM is gone, and stops them then.
   */
  static Watchdog get() {
    Watchdog watchdog = Holder.WATCHDOG;
    return watchdog != null && watchdog.closed ? Late.WATCHDOG : watchdog;
  }

  /** Returns the watchdog if it was started, without starting it. */
  static Watchdog ifStarted() {
    return started;
  }

  private static volatile Watchdog started;

  private static final class Holder {
    static final Watchdog WATCHDOG = started = start();
  }

  /** The watchdog of the children started after the JVM's exit closed the first one. */
  private static final class Late {
    static final Watchdog WATCHDOG = start();
  }

  private static Watchdog start() {
    Process process;
    try {
      process = new ProcessBuilder("/bin/sh", "-c", SCRIPT)
          .directory(new File("/"))
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException | RuntimeException e) {
      warn("cannot start /bin/sh: " + e);
      return null;
    }
    return new Watchdog(process);
  }

  /** Opens the pipe that the watchdog reads once more, for reading, to tell how much it has not read; or null. */
  private static FileInputStream openReadEnd(Process process) {
    try {
      return new FileInputStream("/proc/" + process.pid() + "/fd/0");
    } catch (IOException | RuntimeException e) {
      log.debug("cannot open the watchdog's pipe through /proc ({}): every registration goes through its writer"
          + " thread", e.toString());
      return null;
    }
  }

  private void closeReadEnd() {
    try {
      unread.close();
    } catch (IOException e) {
      // Closed either way.
    }
  }

  /**
   * Waits, on the writer thread, for the watchdog's "ready": the lines written meanwhile wait in the pipe, which
   * awk reads when it runs, even if this JVM is gone by then. A watchdog that never becomes ready is stopped.
   */
  private boolean cameUp() {
    try (InputStream ready = process.getInputStream()) {
      byte[] line = ready.readNBytes(6);
      if (new String(line, StandardCharsets.US_ASCII).equals("ready\n")) {
        return true;
      }
      warn("/bin/sh could not run awk");
    } catch (IOException e) {
      warn("cannot read from it: " + e);
    }
    process.destroyForcibly();
    lock.lock();
    try {
      markBroken();
    } finally {
      lock.unlock();
    }
    return false;
  }

  /** Marks the pipe broken, under {@link #lock}, and wakes the starts that wait for their lines. */
  private void markBroken() {
    broken = true;
    pending.clear();
    synchronized (progress) {
      progress.notifyAll();
    }
  }

  private static void warn(String why) {
    log.warn("the watchdog process that stops this JVM's children if the JVM is killed could not start ({});"
        + " children will be stopped only when the JVM exits normally", why);
  }

  /** Returns the watchdog's pid. */
  long pid() {
    return process.pid();
  }

  /**
   * Registers a started child: if the JVM dies, it is stopped, with its group when it leads one. The line is
   * written before this returns, with the reaped children's lines that wait, on every thread (a Reactor parallel
   * thread included: the write is one short write into a pipe that awk drains, made only when it cannot block)
   * but the linux backend's event loop, which serves every process and never blocks; a child started there has
   * its line written at once by the writer thread instead. A watchdog that does not read for
   * {@value #STALL_SECONDS} s is reported, and the line is then written once it reads again.
   */
  void register(long pid, boolean group) {
    String line = "+ " + pid + (group ? " g\n" : " p\n");
    if (closed) {
      registerLate(pid, group);
      return;
    }
    if (broken) {
      return;
    }
    if (mustNotBlock()) {
      handOver(line);
      if (closed && pending.remove(line)) {
        registerLate(pid, group);   // closed meanwhile: the writer will not write it
      }
    } else if (!registerNow(line) && closed) {
      registerLate(pid, group);
    }
  }

  /**
   * Writes {@code line} on this thread if the write cannot block, otherwise hands it to the writer thread and waits
   * for it, up to {@value #STALL_SECONDS} s (not at all while the watchdog is known to be stalled); returns false
   * once broken.
   */
  private boolean registerNow(String line) {
    if (stalled) {
      handOver(line);
      return !broken;
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STALL_SECONDS);
    boolean locked;
    try {
      locked = lock.tryLock(STALL_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      handOver(line);
      return !broken;
    }
    if (!locked) {
      // The writer thread holds the lock in a write that does not end: awk does not read.
      handOver(line);
      stalled();
      return !broken;
    }
    try {
      if (broken) {
        pending.clear();
        return false;
      }
      // Only when every waiting line goes with it: written after some of them only, the line would reach the
      // watchdog before an older "- PID" of a number that its child has since reused, which would then forget it.
      if (hasRoom() && waiting() <= DIRECT_LINES) {
        return write(line, DIRECT_LINES);
      }
    } finally {
      lock.unlock();
    }
    long number = handOver(line);
    if (!awaitWritten(number, deadline)) {
      stalled();
    }
    return !broken;
  }

  /** Queues {@code line} for the writer thread and wakes it at once; returns the line's number. */
  private long handOver(String line) {
    long number = add(line);
    urgent = true;
    LockSupport.unpark(writer);
    checkWrite();
    return number;
  }

  /** Reports the watchdog stalled when the write under way began more than {@value #STALL_SECONDS} s ago. */
  private void checkWrite() {
    long began = writing;
    if (began != 0 && !stalled && System.nanoTime() - began > TimeUnit.SECONDS.toNanos(STALL_SECONDS)) {
      stalled();
    }
  }

  /** Returns how many lines wait in {@link #pending}; under {@link #lock}. */
  private long waiting() {
    synchronized (pending) {
      return added - taken;
    }
  }

  private long add(String line) {
    synchronized (pending) {
      pending.add(line);
      return ++added;
    }
  }

  /** Waits until line {@code number} of {@link #pending} is written, the pipe broken, or {@code deadline}. */
  private boolean awaitWritten(long number, long deadline) {
    synchronized (progress) {
      while (written < number && !broken) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(progress, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return true;
        }
      }
      return true;
    }
  }

  /** Says once that the watchdog does not read, and lets starts go on without waiting for it until it does. */
  private void stalled() {
    stalled = true;
    if (stallReported.compareAndSet(false, true)) {
      log.warn("the watchdog process {} that stops this JVM's children if the JVM is killed has not read its pipe"
          + " for {} s ({}): starts go on without waiting for it, and a child started meanwhile is registered"
          + " once it reads again; if this JVM is killed before that, such a child is not stopped",
          process.pid(), STALL_SECONDS, process.isAlive() ? "stopped, or starved of CPU" : "it is gone");
    }
  }

  /**
   * Tells, under {@link #lock}, whether a write of up to {@link #DIRECT_LINES} waiting lines and one more cannot
   * block: awk has little left unread. False when that cannot be told.
   */
  private boolean hasRoom() {
    if (unread == null) {
      return false;
    }
    try {
      return unread.available() <= DIRECT_UNREAD;
    } catch (IOException e) {
      return false;   // the watchdog is gone: the writer thread finds out
    }
  }

  /** Registers a child started after the JVM's exit closed this watchdog with the one that watches such children. */
  private static void registerLate(long pid, boolean group) {
    Watchdog late = Late.WATCHDOG;
    if (late != null) {
      late.register(pid, group);
    }
  }

  /**
   * Tells whether this thread may not wait for a write: one of the library's own non-blocking threads, which
   * serve every process, but the jdk backend's, which start processes with {@link ProcessBuilder} and may block.
   */
  private static boolean mustNotBlock() {
    Thread current = Thread.currentThread();
    return current instanceof LibraryThread && !current.getName().startsWith(JDK_THREADS);
  }

  /** The prefix of the jdk backend's thread names. */
  private static final String JDK_THREADS = "subprocess-jdk-";

  /**
   * Forgets a reaped child, without writing: its line goes with the next registration or, within
   * 50 ms, with the writer thread, so that the thread that learns of the exit never blocks and the watchdog wakes
   * once per child. Its pid is not reused that fast: that would take the whole pid space to be cycled meanwhile.
   */
  void unregister(long pid) {
    if (!broken) {
      add("- " + pid + "\n");
      checkWrite();
      if (idle) {
        LockSupport.unpark(writer);   // at most once per batch: a waking thread costs the launch that woke it
      }
    }
  }

  /**
   * At the JVM's normal exit, once the children were stopped: writes the lines that wait (itself when the write
   * cannot block, otherwise through the writer thread, waiting up to {@value #STALL_SECONDS} s for a watchdog that
   * reads slowly) and, when {@code nobodyLeft} (asked under the lock that registrations write under), closes the
   * pipe, so that the watchdog, told of every reaped child, finds nobody left to stop and exits at once. A JVM
   * whose child still runs waits up to 300 ms at its exit for the thread that waits for that child ({@code
   * -XX:UserThreadWaitAttemptsAtExit}), and the watchdog is such a child. While a child still runs (one that
   * another shutdown hook started meanwhile, say) the pipe stays open: at end of file the watchdog would stop that
   * child at once, while the JVM may still wait for it. A child registered after the close goes to another
   * watchdog ({@link #get}). Once the pipe is closed, waits (at most {@value #EXIT_WAIT_MILLIS} ms) for the
   * watchdog to exit: the JVM's exit would otherwise wait for the JDK's thread that waits for it, checking for it
   * every 10 ms, where this wait returns as soon as the watchdog is gone.
   */
  void close(BooleanSupplier nobodyLeft) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STALL_SECONDS);
    while (true) {
      long last;
      try {
        if (!lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
          return;   // stalled: the JVM's end closes the pipe
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      try {
        if (broken) {
          return;
        }
        long waiting = waiting();
        if (waiting > 0 && waiting <= DIRECT_LINES && hasRoom() && !write(null, DIRECT_LINES)) {
          return;
        }
        if (waiting() == 0) {
          if (!nobodyLeft.getAsBoolean()) {
            return;
          }
          closed = true;
          markBroken();
          try {
            pipe.close();
          } catch (IOException e) {
            // The watchdog is gone already: it has nothing to stop either way.
          }
          break;
        }
        synchronized (pending) {
          last = added;
        }
      } finally {
        lock.unlock();
      }
      // More lines wait than one write that cannot block takes, or the watchdog has not read what it was sent
      // (or that cannot be told): the writer thread writes them, blocking if it must, within the same bound.
      urgent = true;
      LockSupport.unpark(writer);
      if (!awaitWritten(last, deadline)) {
        return;
      }
    }
    try {
      process.waitFor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How long the JVM's exit waits for the watchdog, told that nobody is left, to exit: as long as the JVM would. */
  private static final long EXIT_WAIT_MILLIS = 300;

  private void writeLoop() {
    if (!cameUp()) {
      pending.clear();
      return;
    }
    while (true) {
      idle = true;
      while (pending.isEmpty()) {
        LockSupport.park(this);
      }
      idle = false;
      long deadline = System.nanoTime() + BATCH_NANOS;
      for (long left = BATCH_NANOS; !urgent && left > 0; left = deadline - System.nanoTime()) {
        LockSupport.parkNanos(this, left);
      }
      urgent = false;
      lock.lock();
      try {
        if (!write(null, Integer.MAX_VALUE)) {
          pending.clear();
          return;
        }
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Writes up to {@code lines} of the waiting lines, then {@code line} when not null, in one write, under
   * {@link #lock}; returns false once broken.
   */
  private boolean write(String line, int lines) {
    if (broken) {
      pending.clear();
      return false;
    }
    buffer.setLength(0);
    long from = taken;
    for (String waiting; taken - from < lines && (waiting = pending.poll()) != null; ) {
      buffer.append(waiting);
      taken++;
    }
    if (line != null) {
      buffer.append(line);
    }
    if (buffer.length() == 0) {
      return true;
    }
    writing = System.nanoTime() | 1;   // never 0
    try {
      pipe.write(buffer.toString().getBytes(StandardCharsets.US_ASCII));
      pipe.flush();
      writing = 0;
      if (taken != from) {
        synchronized (progress) {
          written = taken;
          progress.notifyAll();
        }
      }
      if (stalled) {
        stalled = false;
        log.info("the watchdog process {} reads its pipe again: starts wait for their registration again",
            process.pid());
      }
      return true;
    } catch (IOException e) {
      writing = 0;
      markBroken();
      log.warn("the watchdog process {} that stops this JVM's children if the JVM is killed is gone ({});"
          + " children will be stopped only when the JVM exits normally", process.pid(), e.toString());
      return false;
    }
  }
}

package dev.subprocess.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Calls the system calls of the native backend with Java types: descriptors are ints, failures are
 * {@link NativeException}s (or negative errno values where the caller handles them, on the read and write paths).
 * Each call allocates what it passes to the kernel in a confined arena of its own, freed when it returns: no
 * native memory is kept per thread, so launching from short-lived or virtual threads costs nothing afterwards.
 */
final class Posix {
  private Posix() {}

  /** Creates a pipe whose two ends close on exec; returns {read end, write end}. */
  static int[] pipe() throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      return pipe(arena);
    }
  }

  /** Creates a pipe whose two ends close on exec, with what it passes in {@code arena}, the caller's. */
  static int[] pipe(Arena arena) throws NativeException {
    try {
      MemorySegment state = Libc.state(arena);
      MemorySegment fds = arena.allocate(JAVA_INT, 2);
      long rc = Libc.syscall(state, Libc.SYS_PIPE2, fds.address(), Libc.O_CLOEXEC, 0, 0, 0, 0);
      if (rc != 0) {
        throw new NativeException("pipe2", Libc.errno(state));
      }
      return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  /**
   * Makes an end of a pipe just made by {@link #pipe} non-blocking, in one call: its only status flag is its
   * access mode, which {@code F_SETFL} ignores, so there is nothing to read first.
   */
  static void setNonBlockingFresh(Arena arena, int fd) throws NativeException {
    fcntl(arena, fd, Libc.F_SETFL, Libc.O_NONBLOCK);
  }

  /** Makes {@code fd} non-blocking (for this process's end of a pipe; the child's end stays blocking). */
  static void setNonBlocking(int fd) throws NativeException {
    int flags = fcntl(fd, Libc.F_GETFL, 0);
    fcntl(fd, Libc.F_SETFL, flags | Libc.O_NONBLOCK);
  }

  /** Asks for a pipe capacity of {@code bytes}; returns the capacity the kernel gave. */
  static int setPipeSize(int fd, int bytes) throws NativeException {
    return fcntl(fd, Libc.F_SETPIPE_SZ, bytes);
  }

  /** Returns the capacity of the pipe {@code fd} belongs to. */
  static int pipeSize(int fd) throws NativeException {
    return fcntl(fd, Libc.F_GETPIPE_SZ, 0);
  }

  /** Asks for a pipe capacity of {@code bytes}, with {@code arena} the caller's; returns the capacity given. */
  static int setPipeSize(Arena arena, int fd, int bytes) throws NativeException {
    return fcntl(arena, fd, Libc.F_SETPIPE_SZ, bytes);
  }

  private static int fcntl(int fd, int cmd, int arg) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      return fcntl(arena, fd, cmd, arg);
    }
  }

  private static int fcntl(Arena arena, int fd, int cmd, int arg) throws NativeException {
    try {
      MemorySegment state = Libc.state(arena);
      long rc = Libc.syscall(state, Libc.SYS_FCNTL, fd, cmd, arg, 0, 0, 0);
      if (rc < 0) {
        throw new NativeException("fcntl", Libc.errno(state));
      }
      return (int) rc;
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  /** Opens {@code path} (a C string) with {@code flags} | O_CLOEXEC. */
  static int open(MemorySegment path, int flags) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.state(arena);
      long fd = Libc.syscall(state, Libc.SYS_OPENAT, Libc.AT_FDCWD, path.address(), flags | Libc.O_CLOEXEC, 0666,
          0, 0);
      if (fd < 0) {
        throw new NativeException("open", Libc.errno(state));
      }
      return (int) fd;
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  /** Closes {@code fd}, ignoring errors: after close the descriptor is gone whatever it returns. */
  static void close(int fd) {
    if (fd < 0) {
      return;
    }
    try (Arena arena = Arena.ofConfined()) {
      long ignored = Libc.syscall(Libc.state(arena), Libc.SYS_CLOSE, fd, 0, 0, 0, 0, 0);
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  /**
   * Reads at most {@code length} bytes into {@code buffer} from its start; returns the count, 0 at end of file, or
   * minus errno (EAGAIN when empty). Errno goes to {@code state} ({@link Libc#heapState}), the caller's to reuse:
   * the call allocates nothing.
   */
  static long read(int fd, byte[] buffer, int length, MemorySegment state) {
    return read(fd, buffer, 0, length, state);
  }

  /** Reads into {@code buffer} from {@code offset}, as {@link #read(int, byte[], int, MemorySegment)} does. */
  static long read(int fd, byte[] buffer, int offset, int length, MemorySegment state) {
    try {
      MemorySegment into = offset == 0 ? MemorySegment.ofArray(buffer) : MemorySegment.ofArray(buffer).asSlice(offset);
      long n;
      do {
        n = (long) Libc.Read.MH.invokeExact(state, fd, into, (long) length);
      } while (n < 0 && Libc.errno(state) == Libc.EINTR);
      return n < 0 ? -Libc.errno(state) : n;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  /** Writes from {@code data}; returns the count written, or minus errno (EAGAIN when full, EPIPE when closed). */
  static long write(int fd, MemorySegment data) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.state(arena);
      long n;
      do {
        n = (long) Libc.Write.MH.invokeExact(state, fd, data, data.byteSize());
      } while (n < 0 && Libc.errno(state) == Libc.EINTR);
      return n < 0 ? -Libc.errno(state) : n;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  /** Returns a descriptor that refers to process {@code pid} for as long as it is open. */
  static int pidfdOpen(long pid) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      return pidfdOpen(arena, pid);
    }
  }

  /** {@link #pidfdOpen(long)} with what it passes in {@code arena}, the caller's. */
  static int pidfdOpen(Arena arena, long pid) throws NativeException {
    try {
      MemorySegment state = Libc.state(arena);
      long fd = Libc.syscall(state, Libc.SYS_PIDFD_OPEN, pid, 0, 0, 0, 0, 0);
      if (fd < 0) {
        throw new NativeException("pidfd_open", Libc.errno(state));
      }
      return (int) fd;
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  /** Sends {@code signal} through a pidfd; returns 0 or minus errno (ESRCH once the process has exited). */
  static int pidfdSendSignal(int pidfd, int signal) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.state(arena);
      long rc = Libc.syscall(state, Libc.SYS_PIDFD_SEND_SIGNAL, pidfd, signal, 0, 0, 0, 0);
      return rc < 0 ? -Libc.errno(state) : 0;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  /** Sends {@code signal} to process group {@code pgid}; returns 0 or minus errno. */
  static int killGroup(long pgid, int signal) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.state(arena);
      long rc = Libc.syscall(state, Libc.SYS_KILL, -pgid, signal, 0, 0, 0, 0);
      return rc < 0 ? -Libc.errno(state) : 0;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  /** Sends {@code signal} to process {@code pid}; returns 0 or minus errno. */
  static int kill(long pid, int signal) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.state(arena);
      long rc = Libc.syscall(state, Libc.SYS_KILL, pid, signal, 0, 0, 0, 0);
      return rc < 0 ? -Libc.errno(state) : 0;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  /** Waits for this process's child {@code pid} to exit and reaps it; for a child that could not be watched. */
  static void awaitAndReap(long pid) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment info = arena.allocate(Libc.SIGINFO_BYTES);
      MemorySegment state = Libc.state(arena);
      long rc;
      do {
        rc = Libc.syscall(state, Libc.SYS_WAITID, Libc.P_PID, pid, info.address(), Libc.WEXITED, 0, 0);
      } while (rc < 0 && Libc.errno(state) == Libc.EINTR);
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  /** Tells whether {@code fd} is a terminal: whether it has terminal attributes, as {@code isatty} asks. */
  static boolean isatty(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment termios = arena.allocate(Libc.TERMIOS_BYTES, 8);
      return Libc.syscall(Libc.state(arena), Libc.SYS_IOCTL, fd, Libc.TCGETS, termios.address(), 0, 0, 0) == 0;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  /**
   * Reaps the process of {@code pidfd} if it has exited; returns its return code ({@code -N} for signal N), or
   * null while it runs.
   */
  static Integer reap(int pidfd) throws NativeException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.state(arena);
      MemorySegment info = arena.allocate(Libc.SIGINFO_BYTES);
      long rc;
      do {
        rc = Libc.syscall(state, Libc.SYS_WAITID, Libc.P_PIDFD, pidfd, info.address(), Libc.WEXITED | Libc.WNOHANG,
            0, 0);
      } while (rc < 0 && Libc.errno(state) == Libc.EINTR);
      if (rc < 0) {
        throw new NativeException("waitid", Libc.errno(state));
      }
      int code = info.get(JAVA_INT, Libc.SIGINFO_CODE);
      int status = info.get(JAVA_INT, Libc.SIGINFO_STATUS);
      if (code == Libc.CLD_EXITED) {
        return status;
      }
      if (code == Libc.CLD_KILLED || code == Libc.CLD_DUMPED) {
        return -status;
      }
      return null;
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }
}

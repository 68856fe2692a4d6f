package dev.subprocess.internal.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.subprocess.internal.TerminalSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * Holds this process's side of a new pseudo-terminal: the master, opened with {@code posix_openpt} and made
 * ready with {@code grantpt} and {@code unlockpt}, and the path of the slave ({@code ptsname_r}), which only the
 * child opens. The child opens it with spawn file actions after {@code setsid}, without {@code O_NOCTTY}, so that
 * it becomes the controlling terminal of the child's new session; this process never holds the slave, so a read
 * of the master fails with {@code EIO} once every process of the session has closed it: end of output.
 *
 * <p>The master given here is the control descriptor, for the window size; the reader and the writer of the
 * terminal each take a {@linkplain #duplicate() duplicate}, so that each closes its own.
 */
final class PseudoTerminal {
  static final int EIO = 5;

  private static final int O_RDWR = 2;
  private static final int O_NOCTTY = 0400;
  private static final int F_DUPFD_CLOEXEC = 1030;
  private static final long TIOCSWINSZ = 0x5414;
  private static final int PATH_BYTES = 128;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle POSIX_OPENPT = errnoFn("posix_openpt", JAVA_INT, JAVA_INT);
  private static final MethodHandle GRANTPT = errnoFn("grantpt", JAVA_INT, JAVA_INT);
  private static final MethodHandle UNLOCKPT = errnoFn("unlockpt", JAVA_INT, JAVA_INT);
  private static final MethodHandle PTSNAME_R = LINKER.downcallHandle(find("ptsname_r"),
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
  private static final MethodHandle FA_ADDOPEN = LINKER.downcallHandle(find("posix_spawn_file_actions_addopen"),
      FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));

  private final int master;
  private final String slave;
  private boolean closed;

  private PseudoTerminal(int master, String slave) {
    this.master = master;
    this.slave = slave;
  }

  /** Opens a new terminal of the size {@code spec} gives; its master is non-blocking and closes on exec. */
  static PseudoTerminal open(TerminalSpec spec) throws NativeException {
    int fd;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.state(arena);
      fd = (int) POSIX_OPENPT.invokeExact(state, O_RDWR | O_NOCTTY | Libc.O_CLOEXEC);
      if (fd < 0) {
        throw new NativeException("posix_openpt", Libc.errno(state));
      }
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
    try (Arena arena = Arena.ofConfined()) {
      call(GRANTPT, fd, "grantpt");
      call(UNLOCKPT, fd, "unlockpt");
      MemorySegment name = arena.allocate(PATH_BYTES);
      int rc = (int) PTSNAME_R.invokeExact(fd, name, (long) PATH_BYTES);
      if (rc != 0) {
        throw new NativeException("ptsname_r", rc);
      }
      Posix.setNonBlocking(fd);
      PseudoTerminal terminal = new PseudoTerminal(fd, name.getString(0, StandardCharsets.US_ASCII));
      terminal.setSize(spec.columns(), spec.rows());
      return terminal;
    } catch (NativeException | RuntimeException e) {
      Posix.close(fd);
      throw e;
    } catch (Throwable t) {
      Posix.close(fd);
      throw Thrown.asError(t);
    }
  }

  /** Returns the path of the slave, such as {@code /dev/pts/3}. */
  String slavePath() {
    return slave;
  }

  /** Returns a new descriptor of the master, closed on exec, for a reader or a writer that closes it alone. */
  synchronized int duplicate() throws NativeException {
    if (closed) {
      throw new NativeException("fcntl(F_DUPFD_CLOEXEC)", 9);
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.state(arena);
      int fd = (int) Libc.Fcntl.MH.invokeExact(state, master, F_DUPFD_CLOEXEC, 3);
      if (fd < 0) {
        throw new NativeException("fcntl(F_DUPFD_CLOEXEC)", Libc.errno(state));
      }
      return fd;
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  /**
   * Adds the spawn file actions that open the slave in the child onto the standard streams {@code spec} puts on
   * the terminal. They run after {@code setsid}, so the first open makes it the controlling terminal.
   */
  void addFileActions(Arena arena, MemorySegment actions, TerminalSpec spec) throws NativeException {
    int first = spec.stdin() ? 0 : spec.stdout() ? 1 : 2;
    try {
      check((int) FA_ADDOPEN.invokeExact(actions, first, arena.allocateFrom(slave, StandardCharsets.US_ASCII),
          O_RDWR, 0), "posix_spawn_file_actions_addopen");
      boolean[] on = {spec.stdin(), spec.stdout(), spec.stderr()};
      for (int fd = first + 1; fd < 3; fd++) {
        if (on[fd]) {
          check(Libc.call(Libc.FaAddDup2.MH, actions.address(), first, fd), "posix_spawn_file_actions_adddup2");
        }
      }
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  /** Sets the window size ({@code TIOCSWINSZ}): the terminal's foreground group gets SIGWINCH. No-op once closed. */
  synchronized void setSize(int columns, int rows) throws NativeException {
    if (closed) {
      return;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment size = arena.allocate(MemoryLayout.sequenceLayout(4, JAVA_SHORT));
      size.setAtIndex(JAVA_SHORT, 0, (short) rows);
      size.setAtIndex(JAVA_SHORT, 1, (short) columns);
      MemorySegment state = Libc.state(arena);
      int rc = (int) Libc.IoctlInt.MH.invokeExact(state, master, TIOCSWINSZ, size);
      if (rc < 0) {
        throw new NativeException("ioctl(TIOCSWINSZ)", Libc.errno(state));
      }
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  /** Closes the control descriptor. Idempotent. */
  synchronized void close() {
    if (!closed) {
      closed = true;
      Posix.close(master);
    }
  }

  private static void call(MethodHandle function, int fd, String name) throws Throwable {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = Libc.state(arena);
      int rc = (int) function.invokeExact(state, fd);
      if (rc != 0) {
        throw new NativeException(name, Libc.errno(state));
      }
    }
  }

  private static void check(int rc, String call) throws NativeException {
    if (rc != 0) {
      throw new NativeException(call, rc);
    }
  }

  private static MethodHandle errnoFn(String name, ValueLayout result, MemoryLayout... args) {
    return LINKER.downcallHandle(find(name), FunctionDescriptor.of(result, args),
        Linker.Option.captureCallState("errno"));
  }

  private static MemorySegment find(String name) {
    return LINKER.defaultLookup().find(name)
        .orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in the C library"));
  }
}

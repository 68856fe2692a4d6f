package dev.subprocess.internal.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Binds the glibc functions and Linux system calls the native backend uses, with the constants they take.
 * Functions that report failure through {@code errno} are linked to capture it into a segment the caller
 * allocates for the call ({@link #state}); {@link #errno} reads it.
 */
final class Libc {
  static final int O_RDONLY = 0;
  static final int O_WRONLY = 1;
  static final int O_CREAT = 0100;
  static final int O_TRUNC = 01000;
  static final int O_APPEND = 02000;
  static final int O_NONBLOCK = 04000;
  static final int O_CLOEXEC = 02000000;

  static final int F_GETFL = 3;
  static final int F_SETFL = 4;
  static final int F_SETPIPE_SZ = 1031;
  static final int F_GETPIPE_SZ = 1032;

  static final long FIONREAD = 0x541B;

  static final int EINTR = 4;
  static final int EAGAIN = 11;
  static final int EPIPE = 32;
  static final int ESRCH = 3;
  static final int ECHILD = 10;
  static final int EINVAL = 22;
  static final int ENOSYS = 38;

  static final short POSIX_SPAWN_SETPGROUP = 0x02;
  static final short POSIX_SPAWN_SETSIGDEF = 0x04;
  static final short POSIX_SPAWN_SETSIGMASK = 0x08;
  static final short POSIX_SPAWN_SETSID = 0x80;

  static final int EPOLL_CLOEXEC = O_CLOEXEC;
  static final int EPOLL_CTL_ADD = 1;
  static final int EPOLL_CTL_DEL = 2;
  static final int EPOLL_CTL_MOD = 3;
  static final int EPOLLIN = 0x001;
  static final int EPOLLOUT = 0x004;
  static final int EPOLLERR = 0x008;
  static final int EPOLLHUP = 0x010;
  static final int EPOLLONESHOT = 1 << 30;
  static final int EPOLLET = 1 << 31;

  static final int EFD_CLOEXEC = O_CLOEXEC;
  static final int EFD_NONBLOCK = O_NONBLOCK;

  static final int P_PID = 1;
  static final int P_PIDFD = 3;
  static final int WEXITED = 4;
  static final int WNOHANG = 1;
  static final int CLD_EXITED = 1;
  static final int CLD_KILLED = 2;
  static final int CLD_DUMPED = 3;

  static final long SYS_PIDFD_SEND_SIGNAL = 424;
  static final long SYS_PIDFD_OPEN = 434;

  /** Big enough for glibc's {@code posix_spawn_file_actions_t} (80 bytes) and {@code posix_spawnattr_t} (336). */
  static final long SPAWN_STRUCT_BYTES = 512;
  static final long SIGSET_BYTES = 128;
  static final long SIGINFO_BYTES = 128;
  static final long SIGINFO_CODE = 8;
  static final long SIGINFO_STATUS = 24;

  /** {@code struct epoll_event}: packed (12 bytes) on x86-64, naturally aligned (16) elsewhere. */
  static final boolean EPOLL_PACKED = System.getProperty("os.arch").matches("amd64|x86_64");
  static final long EPOLL_EVENT_BYTES = EPOLL_PACKED ? 12 : 16;
  static final long EPOLL_DATA_OFFSET = EPOLL_PACKED ? 4 : 8;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  static final MethodHandle PIPE2 = errnoFn("pipe2", JAVA_INT, ADDRESS, JAVA_INT);
  static final MethodHandle FCNTL = errnoVariadic("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
  static final MethodHandle OPEN = errnoVariadic("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
  static final MethodHandle CLOSE = errnoFn("close", JAVA_INT, JAVA_INT);
  static final MethodHandle READ = critical("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
  static final MethodHandle WRITE = critical("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
  static final MethodHandle IOCTL_INT = errnoVariadic("ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
  /** {@code ioctl} for {@code FIONREAD}: short and non-blocking, so linked critical, to take heap memory. */
  static final MethodHandle IOCTL_FIONREAD = LINKER.downcallHandle(find("ioctl"),
      FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.captureCallState("errno"),
      Linker.Option.firstVariadicArg(2), Linker.Option.critical(true));
  static final MethodHandle KILL = errnoFn("kill", JAVA_INT, JAVA_INT, JAVA_INT);
  static final MethodHandle SYSCALL3 = errnoVariadic("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT);
  static final MethodHandle SYSCALL5 =
      errnoVariadic("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
  static final MethodHandle WAITID = errnoFn("waitid", JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
  static final MethodHandle EPOLL_CREATE1 = errnoFn("epoll_create1", JAVA_INT, JAVA_INT);
  static final MethodHandle EPOLL_CTL = errnoFn("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
  static final MethodHandle EPOLL_WAIT = errnoFn("epoll_wait", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
  static final MethodHandle EVENTFD = errnoFn("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);

  static final MethodHandle SIGEMPTYSET = plain("sigemptyset", JAVA_INT, ADDRESS);
  static final MethodHandle SIGFILLSET = plain("sigfillset", JAVA_INT, ADDRESS);
  static final MethodHandle FA_INIT = plain("posix_spawn_file_actions_init", JAVA_INT, ADDRESS);
  static final MethodHandle FA_DESTROY = plain("posix_spawn_file_actions_destroy", JAVA_INT, ADDRESS);
  static final MethodHandle FA_ADDDUP2 = plain("posix_spawn_file_actions_adddup2", JAVA_INT, ADDRESS, JAVA_INT,
      JAVA_INT);
  static final MethodHandle FA_ADDCLOSE = plain("posix_spawn_file_actions_addclose", JAVA_INT, ADDRESS, JAVA_INT);
  static final MethodHandle FA_ADDCHDIR = plain("posix_spawn_file_actions_addchdir_np", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle FA_ADDCLOSEFROM = plain("posix_spawn_file_actions_addclosefrom_np", JAVA_INT, ADDRESS,
      JAVA_INT);
  static final MethodHandle ATTR_INIT = plain("posix_spawnattr_init", JAVA_INT, ADDRESS);
  static final MethodHandle ATTR_DESTROY = plain("posix_spawnattr_destroy", JAVA_INT, ADDRESS);
  static final MethodHandle ATTR_SETFLAGS = plain("posix_spawnattr_setflags", JAVA_INT, ADDRESS, ValueLayout.JAVA_SHORT);
  static final MethodHandle ATTR_SETPGROUP = plain("posix_spawnattr_setpgroup", JAVA_INT, ADDRESS, JAVA_INT);
  static final MethodHandle ISATTY = plain("isatty", JAVA_INT, JAVA_INT);
  static final MethodHandle ATTR_SETSIGMASK = plain("posix_spawnattr_setsigmask", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle ATTR_SETSIGDEFAULT = plain("posix_spawnattr_setsigdefault", JAVA_INT, ADDRESS, ADDRESS);
  static final MethodHandle POSIX_SPAWN = plain("posix_spawn", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS,
      ADDRESS, ADDRESS);
  static final MethodHandle STRERRORNAME = plain("strerrorname_np", ADDRESS, JAVA_INT);
  static final MethodHandle STRERRORDESC = plain("strerrordesc_np", ADDRESS, JAVA_INT);

  private Libc() {}

  /**
   * Allocates in {@code arena} (the caller's, confined to the call) the segment that an errno-capturing call
   * writes errno into; pass it first to the call. Nothing is kept per thread, so no native memory outlives a call.
   */
  static MemorySegment state(Arena arena) {
    return arena.allocate(CAPTURE);
  }

  /**
   * Returns a segment on the heap for the errno of calls linked critical ({@link #READ}, {@link #WRITE},
   * {@link #IOCTL_FIONREAD}), for a caller to keep and reuse: no native memory, so nothing to free.
   */
  static MemorySegment heapState() {
    return MemorySegment.ofArray(new int[(int) ((CAPTURE.byteSize() + 3) / 4)]);
  }

  /** Returns the errno that the call given {@code state} left there. */
  static int errno(MemorySegment state) {
    return (int) ERRNO.get(state, 0L);
  }

  /** Returns the symbolic name of {@code errno}, such as {@code ENOENT}, or {@code errno N}. */
  static String errorName(int errno) {
    try {
      MemorySegment name = (MemorySegment) STRERRORNAME.invokeExact(errno);
      return name.equals(MemorySegment.NULL) ? "errno " + errno : name.reinterpret(64).getString(0);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  /** Returns the description of {@code errno}, such as {@code No such file or directory}. */
  static String errorText(int errno) {
    try {
      MemorySegment text = (MemorySegment) STRERRORDESC.invokeExact(errno);
      return text.equals(MemorySegment.NULL) ? "error " + errno : text.reinterpret(256).getString(0);
    } catch (Throwable t) {
      return "error " + errno;
    }
  }

  private static MethodHandle plain(String name, ValueLayout result, MemoryLayout... args) {
    return LINKER.downcallHandle(find(name), FunctionDescriptor.of(result, args));
  }

  private static MethodHandle errnoFn(String name, ValueLayout result, MemoryLayout... args) {
    return LINKER.downcallHandle(find(name), FunctionDescriptor.of(result, args),
        Linker.Option.captureCallState("errno"));
  }

  private static MethodHandle errnoVariadic(String name, int firstVariadic, ValueLayout result,
      MemoryLayout... args) {
    return LINKER.downcallHandle(find(name), FunctionDescriptor.of(result, args),
        Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(firstVariadic));
  }

  /** Links a short call that may take heap memory directly (no copy to native memory). */
  private static MethodHandle critical(String name, ValueLayout result, MemoryLayout... args) {
    return LINKER.downcallHandle(find(name), FunctionDescriptor.of(result, args),
        Linker.Option.captureCallState("errno"), Linker.Option.critical(true));
  }

  private static MemorySegment find(String name) {
    return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in the C library"));
  }
}

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
 * Binds the glibc functions and Linux system calls the native backend uses, with the constants they take. Each
 * function is bound on its first call, in a holder class of its own: binding a downcall handle costs
 * milliseconds, and a process that starts one child uses a third of them.
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

  /** {@code pipe2}, bound on first use. */
  static final class Pipe2 {
    static final MethodHandle MH = errnoFn("pipe2", JAVA_INT, ADDRESS, JAVA_INT);
  }

  /**
   * {@code ioctl} for {@code FIONREAD}, bound on first use: short and non-blocking, so linked critical, to take
   * heap memory.
   */
  static final class IoctlFionread {
    static final MethodHandle MH = LINKER.downcallHandle(find("ioctl"),
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.captureCallState("errno"),
        Linker.Option.firstVariadicArg(2), Linker.Option.critical(true));
  }

  /** {@code fcntl}, bound on first use. */
  static final class Fcntl {
    static final MethodHandle MH = errnoVariadic("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
  }

  /** {@code open}, bound on first use. */
  static final class Open {
    static final MethodHandle MH = errnoVariadic("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
  }

  /**
   * {@code close}, bound on first use, without errno: nobody reads it, since the descriptor is gone whatever close
   * returns, and a call that captures nothing needs no memory.
   */
  static final class Close {
    static final MethodHandle MH = plain("close", JAVA_INT, JAVA_INT);
  }

  /** {@code read}, bound on first use. */
  static final class Read {
    static final MethodHandle MH = critical("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
  }

  /** {@code write}, bound on first use. */
  static final class Write {
    static final MethodHandle MH = critical("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
  }

  /** {@code ioctl}, bound on first use. */
  static final class IoctlInt {
    static final MethodHandle MH = errnoVariadic("ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
  }

  /** {@code kill}, bound on first use. */
  static final class Kill {
    static final MethodHandle MH = errnoFn("kill", JAVA_INT, JAVA_INT, JAVA_INT);
  }

  /**
   * {@code syscall} with six arguments, bound on first use: the one shape every raw system call here is made
   * with ({@code pidfd_open}, {@code pidfd_send_signal}, {@code waitid} with a usage), so that one binding serves
   * them all; a call passes 0 or NULL for the arguments its system call does not take, which the kernel ignores.
   * None of them blocks ({@code waitid} is called with {@code WNOHANG}), so it is linked critical, to take heap
   * memory: a launch and a reap allocate no native memory for them.
   */
  static final class Syscall6 {
    static final MethodHandle MH = LINKER.downcallHandle(find("syscall"),
        FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS),
        Linker.Option.captureCallState("errno"), Linker.Option.firstVariadicArg(1), Linker.Option.critical(true));
  }

  /** {@code waitid}, bound on first use. */
  static final class Waitid {
    static final MethodHandle MH = errnoFn("waitid", JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
  }

  /** {@code epoll_create1}, bound on first use. */
  static final class EpollCreate1 {
    static final MethodHandle MH = errnoFn("epoll_create1", JAVA_INT, JAVA_INT);
  }

  /** {@code epoll_ctl}, bound on first use: short and non-blocking, so linked critical, to take heap memory. */
  static final class EpollCtl {
    static final MethodHandle MH = critical("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
  }

  /** {@code epoll_wait}, bound on first use. */
  static final class EpollWait {
    static final MethodHandle MH = errnoFn("epoll_wait", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
  }

  /** {@code eventfd}, bound on first use. */
  static final class Eventfd {
    static final MethodHandle MH = errnoFn("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
  }

  /** {@code sigemptyset}, bound on first use. */
  static final class SigEmptySet {
    static final MethodHandle MH = plain("sigemptyset", JAVA_INT, ADDRESS);
  }

  /** {@code sigfillset}, bound on first use. */
  static final class SigFillSet {
    static final MethodHandle MH = plain("sigfillset", JAVA_INT, ADDRESS);
  }

  /** {@code posix_spawn_file_actions_init}, bound on first use. */
  static final class FaInit {
    static final MethodHandle MH = plain("posix_spawn_file_actions_init", JAVA_INT, ADDRESS);
  }

  /** {@code posix_spawn_file_actions_destroy}, bound on first use. */
  static final class FaDestroy {
    static final MethodHandle MH = plain("posix_spawn_file_actions_destroy", JAVA_INT, ADDRESS);
  }

  /** {@code posix_spawn_file_actions_adddup2}, bound on first use. */
  static final class FaAddDup2 {
    static final MethodHandle MH = plain("posix_spawn_file_actions_adddup2", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
  }

  /** {@code posix_spawn_file_actions_addclose}, bound on first use. */
  static final class FaAddClose {
    static final MethodHandle MH = plain("posix_spawn_file_actions_addclose", JAVA_INT, ADDRESS, JAVA_INT);
  }

  /** {@code posix_spawn_file_actions_addchdir_np}, bound on first use. */
  static final class FaAddChdir {
    static final MethodHandle MH = plain("posix_spawn_file_actions_addchdir_np", JAVA_INT, ADDRESS, ADDRESS);
  }

  /** {@code posix_spawn_file_actions_addclosefrom_np}, bound on first use. */
  static final class FaAddCloseFrom {
    static final MethodHandle MH = plain("posix_spawn_file_actions_addclosefrom_np", JAVA_INT, ADDRESS, JAVA_INT);
  }

  /** {@code posix_spawnattr_init}, bound on first use. */
  static final class AttrInit {
    static final MethodHandle MH = plain("posix_spawnattr_init", JAVA_INT, ADDRESS);
  }

  /** {@code posix_spawnattr_destroy}, bound on first use. */
  static final class AttrDestroy {
    static final MethodHandle MH = plain("posix_spawnattr_destroy", JAVA_INT, ADDRESS);
  }

  /** {@code posix_spawnattr_setflags}, bound on first use. */
  static final class AttrSetFlags {
    static final MethodHandle MH = plain("posix_spawnattr_setflags", JAVA_INT, ADDRESS, ValueLayout.JAVA_SHORT);
  }

  /** {@code posix_spawnattr_setpgroup}, bound on first use. */
  static final class AttrSetPgroup {
    static final MethodHandle MH = plain("posix_spawnattr_setpgroup", JAVA_INT, ADDRESS, JAVA_INT);
  }

  /** {@code isatty}, bound on first use. */
  static final class Isatty {
    static final MethodHandle MH = plain("isatty", JAVA_INT, JAVA_INT);
  }

  /** {@code posix_spawnattr_setsigmask}, bound on first use. */
  static final class AttrSetSigMask {
    static final MethodHandle MH = plain("posix_spawnattr_setsigmask", JAVA_INT, ADDRESS, ADDRESS);
  }

  /** {@code posix_spawnattr_setsigdefault}, bound on first use. */
  static final class AttrSetSigDefault {
    static final MethodHandle MH = plain("posix_spawnattr_setsigdefault", JAVA_INT, ADDRESS, ADDRESS);
  }

  /** {@code posix_spawn}, bound on first use. */
  static final class PosixSpawn {
    static final MethodHandle MH =
        plain("posix_spawn", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS);
  }

  /** {@code strerrorname_np}, bound on first use. */
  static final class StrErrorName {
    static final MethodHandle MH = plain("strerrorname_np", ADDRESS, JAVA_INT);
  }

  /** {@code strerrordesc_np}, bound on first use. */
  static final class StrErrorDesc {
    static final MethodHandle MH = plain("strerrordesc_np", ADDRESS, JAVA_INT);
  }

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
      MemorySegment name = (MemorySegment) StrErrorName.MH.invokeExact(errno);
      return name.equals(MemorySegment.NULL) ? "errno " + errno : name.reinterpret(64).getString(0);
    } catch (Throwable t) {
      return "errno " + errno;
    }
  }

  /** Returns the description of {@code errno}, such as {@code No such file or directory}. */
  static String errorText(int errno) {
    try {
      MemorySegment text = (MemorySegment) StrErrorDesc.MH.invokeExact(errno);
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

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
  // The x86-64 numbers of the other system calls made through syscall(2): the backend runs only there.
  static final long SYS_CLOSE = 3;
  static final long SYS_IOCTL = 16;
  static final long SYS_KILL = 62;
  static final long SYS_FCNTL = 72;
  static final long SYS_EPOLL_CTL = 233;
  static final long SYS_WAITID = 247;
  static final long SYS_OPENAT = 257;
  static final long SYS_EPOLL_PWAIT = 281;
  static final long SYS_EVENTFD2 = 290;
  static final long SYS_EPOLL_CREATE1 = 291;
  static final long SYS_PIPE2 = 293;

  static final long AT_FDCWD = -100;
  static final long TCGETS = 0x5401;
  /** Big enough for the kernel's {@code struct termios} (36 bytes on x86-64), which {@code TCGETS} fills. */
  static final long TERMIOS_BYTES = 64;

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
  /**
   * Where errno lies in {@link #CAPTURE}, read with a plain int access: a var handle of the layout's path would
   * spin classes of its own on the first launch.
   */
  private static final long ERRNO_OFFSET = CAPTURE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

  /** {@code fcntl}, bound on first use. */
  static final class Fcntl {
    static final MethodHandle MH = errnoVariadic("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
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

  /**
   * {@code syscall} with six arguments, each a {@code long} (a pointer as its address), bound on first use: the
   * one shape every system call here that is not a C library function of its own is made with ({@link #syscall}),
   * so that one binding serves them all. Each distinct shape of downcall spins classes when first bound, which is
   * most of what the first launch of a JVM costs.
   */
  static final class Syscall6 {
    static final MethodHandle MH = errnoVariadic("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
        JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
  }

  /** {@code eventfd}, bound on first use. */
  static final class Eventfd {
    static final MethodHandle MH = errnoFn("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
  }

  /** {@code sigemptyset}, bound on first use. */
  static final class SigEmptySet {
    static final MethodHandle MH = call6("sigemptyset");
  }

  /** {@code sigfillset}, bound on first use. */
  static final class SigFillSet {
    static final MethodHandle MH = call6("sigfillset");
  }

  /** {@code posix_spawn_file_actions_init}, bound on first use. */
  static final class FaInit {
    static final MethodHandle MH = call6("posix_spawn_file_actions_init");
  }

  /** {@code posix_spawn_file_actions_destroy}, bound on first use. */
  static final class FaDestroy {
    static final MethodHandle MH = call6("posix_spawn_file_actions_destroy");
  }

  /** {@code posix_spawn_file_actions_adddup2}, bound on first use. */
  static final class FaAddDup2 {
    static final MethodHandle MH = call6("posix_spawn_file_actions_adddup2");
  }

  /** {@code posix_spawn_file_actions_addclose}, bound on first use. */
  static final class FaAddClose {
    static final MethodHandle MH = call6("posix_spawn_file_actions_addclose");
  }

  /** {@code posix_spawn_file_actions_addchdir_np}, bound on first use. */
  static final class FaAddChdir {
    static final MethodHandle MH = call6("posix_spawn_file_actions_addchdir_np");
  }

  /** {@code posix_spawn_file_actions_addclosefrom_np}, bound on first use. */
  static final class FaAddCloseFrom {
    static final MethodHandle MH = call6("posix_spawn_file_actions_addclosefrom_np");
  }

  /** {@code posix_spawnattr_init}, bound on first use. */
  static final class AttrInit {
    static final MethodHandle MH = call6("posix_spawnattr_init");
  }

  /** {@code posix_spawnattr_destroy}, bound on first use. */
  static final class AttrDestroy {
    static final MethodHandle MH = call6("posix_spawnattr_destroy");
  }

  /** {@code posix_spawnattr_setflags}, bound on first use. */
  static final class AttrSetFlags {
    static final MethodHandle MH = call6("posix_spawnattr_setflags");
  }

  /** {@code posix_spawnattr_setpgroup}, bound on first use. */
  static final class AttrSetPgroup {
    static final MethodHandle MH = call6("posix_spawnattr_setpgroup");
  }

  /** {@code posix_spawnattr_setsigmask}, bound on first use. */
  static final class AttrSetSigMask {
    static final MethodHandle MH = call6("posix_spawnattr_setsigmask");
  }

  /** {@code posix_spawnattr_setsigdefault}, bound on first use. */
  static final class AttrSetSigDefault {
    static final MethodHandle MH = call6("posix_spawnattr_setsigdefault");
  }

  /** {@code posix_spawn}, bound on first use. */
  static final class PosixSpawn {
    static final MethodHandle MH = call6("posix_spawn");
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
   * Returns a segment on the heap for the errno of calls linked critical ({@link Read}, {@link Write}), for a
   * caller to keep and reuse: no native memory, so nothing to free.
   */
  static MemorySegment heapState() {
    return MemorySegment.ofArray(new int[(int) ((CAPTURE.byteSize() + 3) / 4)]);
  }

  /** Returns the errno that the call given {@code state} left there. */
  static int errno(MemorySegment state) {
    return state.get(JAVA_INT, ERRNO_OFFSET);
  }

  /**
   * Makes system call {@code number} with arguments {@code a} to {@code f} (0 for those it does not take, which
   * the kernel ignores); returns its result, or -1 with errno in {@code state} ({@link #state}).
   */
  static long syscall(MemorySegment state, long number, long a, long b, long c, long d, long e, long f)
      throws Throwable {
    return (long) Syscall6.MH.invokeExact(state, number, a, b, c, d, e, f);
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

  /**
   * Calls {@code function}, bound with the shape of six {@code long}s ({@link #call6}), with its arguments (a
   * pointer as its address; those it does not take are 0, which it ignores) and returns its {@code int} result.
   */
  static int call(MethodHandle function, long a, long b, long c, long d, long e, long f) throws Throwable {
    return (int) (long) function.invokeExact(a, b, c, d, e, f);
  }

  /** Calls {@code function} ({@link #call6}) with one argument; returns its {@code int} result. */
  static int call(MethodHandle function, long a) throws Throwable {
    return (int) (long) function.invokeExact(a, 0L, 0L, 0L, 0L, 0L);
  }

  /** Calls {@code function} ({@link #call6}) with two arguments; returns its {@code int} result. */
  static int call(MethodHandle function, long a, long b) throws Throwable {
    return (int) (long) function.invokeExact(a, b, 0L, 0L, 0L, 0L);
  }

  /** Calls {@code function} ({@link #call6}) with three arguments; returns its {@code int} result. */
  static int call(MethodHandle function, long a, long b, long c) throws Throwable {
    return (int) (long) function.invokeExact(a, b, c, 0L, 0L, 0L);
  }

  /**
   * Binds a C library function that takes up to six integer or pointer arguments and returns an {@code int}
   * (never through {@code errno}) with the one shape they all share here: six {@code long}s in, a {@code long}
   * out, read through {@link #call}. On x86-64, where this backend runs, such arguments travel in the same
   * six registers whatever their width, a function reads only the low bits of those it takes and none of those
   * it does not, and an {@code int} result is the low half of the register returned: so one binding serves them
   * all, where each distinct shape of downcall spins classes of its own when first bound (what most of the first
   * launch of a JVM costs).
   */
  private static MethodHandle call6(String name) {
    return LINKER.downcallHandle(find(name), FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
        JAVA_LONG, JAVA_LONG, JAVA_LONG));
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

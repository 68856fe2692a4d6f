package dev.subprocess.internal.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.subprocess.internal.ChildUsage;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Reaps a child through its pidfd and reads what it cost: the raw {@code waitid} system call takes a fifth
 * argument, a {@code struct rusage *}, that glibc's {@code waitid} does not pass on. The usage covers the child and
 * the descendants it waited for. On an architecture whose system call number is not known here, the child is
 * reaped with glibc's {@code waitid} and its usage is unknown.
 */
final class Reaping {
  /** {@code struct rusage}: two {@code struct timeval}s, then fourteen longs. */
  private static final long RUSAGE_BYTES = 144;
  private static final long SYS_WAITID = switch (System.getProperty("os.arch")) {
    case "amd64", "x86_64" -> 247;
    case "aarch64", "riscv64" -> 95;
    default -> -1;
  };

  private Reaping() {}

  /** A reaped child: its return code ({@code -N} for signal N) and its usage, or null when unknown. */
  record Reaped(int code, ChildUsage usage) {}

  /** Reaps the process of {@code pidfd} if it has exited; returns null while it runs. */
  static Reaped reap(int pidfd) throws NativeException {
    if (SYS_WAITID < 0) {
      Integer code = Posix.reap(pidfd);
      return code == null ? null : new Reaped(code, null);
    }
    // In native memory: the system call takes the addresses of info and usage, which heap segments do not have.
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment info = arena.allocate(Libc.SIGINFO_BYTES, 8);
      MemorySegment usage = arena.allocate(RUSAGE_BYTES, 8);
      MemorySegment state = Libc.state(arena);
      long rc;
      do {
        rc = Libc.syscall(state, SYS_WAITID, Libc.P_PIDFD, pidfd, info.address(), Libc.WEXITED | Libc.WNOHANG,
            usage.address(), 0);
      } while (rc < 0 && Libc.errno(state) == Libc.EINTR);
      if (rc < 0) {
        throw new NativeException("waitid", Libc.errno(state));
      }
      int code = info.get(JAVA_INT, Libc.SIGINFO_CODE);
      int status = info.get(JAVA_INT, Libc.SIGINFO_STATUS);
      int returnCode;
      if (code == Libc.CLD_EXITED) {
        returnCode = status;
      } else if (code == Libc.CLD_KILLED || code == Libc.CLD_DUMPED) {
        returnCode = -status;
      } else {
        return null;
      }
      return new Reaped(returnCode, new ChildUsage(micros(usage, 0), micros(usage, 16)));
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  private static long micros(MemorySegment usage, long timeval) {
    return usage.get(JAVA_LONG, timeval) * 1_000_000 + usage.get(JAVA_LONG, timeval + 8);
  }
}

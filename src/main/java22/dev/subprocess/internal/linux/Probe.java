package dev.subprocess.internal.linux;

import java.lang.foreign.Linker;
import java.util.List;
import java.util.Set;

/**
 * Asks the platform, once, whether it has what the linux backend needs: the x86-64 layouts of the structures it
 * fills, the C library functions of glibc 2.34 and later ({@code posix_spawn_file_actions_addclosefrom_np} since
 * 2.34, {@code strerrorname_np} since 2.32), and the system calls of Linux 5.4 and later, allowed by any seccomp
 * profile: {@code pidfd_open} and {@code pidfd_send_signal} on this JVM itself, and {@code waitid(P_PIDFD)}, which
 * answers ECHILD for a pidfd of a process that is not our child and EINVAL on kernels without it.
 *
 * Java 24 or later is needed too: the read and write paths link {@code read}, {@code write} and {@code ioctl}
 * critical with errno captured into heap memory, which earlier releases refuse to link.
 *
 * <p>The system property {@value #SIMULATE} names checks to fail as if the platform lacked them, for tests: a
 * symbol, {@code critical}, {@code pidfd_open}, {@code pidfd_send_signal}, {@code waitid} or {@code architecture},
 * comma-separated.
 */
final class Probe {
  static final String SIMULATE = "dev.subprocess.linux.simulateMissing";

  /** The functions that not every C library has; binding the others ({@link Libc}) reports any missing. */
  private static final List<String> SYMBOLS = List.of("posix_spawn_file_actions_addclosefrom_np",
      "posix_spawn_file_actions_addchdir_np", "strerrorname_np", "strerrordesc_np");

  static final String RESULT = missing();

  private Probe() {}

  private static String missing() {
    Set<String> simulated = Set.of(System.getProperty(SIMULATE, "").split(","));
    String arch = System.getProperty("os.arch", "");
    if (!arch.equals("amd64") && !arch.equals("x86_64") || simulated.contains("architecture")) {
      return "the x86-64 architecture (this is " + arch + ")";
    }
    for (String symbol : SYMBOLS) {
      if (Linker.nativeLinker().defaultLookup().find(symbol).isEmpty() || simulated.contains(symbol)) {
        return "the C library function " + symbol + " (glibc 2.34 or later; this C library has none)";
      }
    }
    try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
      Libc.state(arena);
    } catch (LinkageError e) {
      return "a C library function: " + e.getMessage();
    }
    String critical = missingCriticalCalls(simulated);
    if (critical != null) {
      return critical;
    }
    return missingSystemCalls(simulated);
  }

  /**
   * Tells whether Java links the calls of the read and write paths as they are bound on first use: critical, with
   * errno captured into heap memory, which releases before 24 refuse. Asked of the version, so that nothing is
   * bound ahead of the first launch.
   */
  private static String missingCriticalCalls(Set<String> simulated) {
    int release = Runtime.version().feature();
    if (release < 24 || simulated.contains("critical")) {
      return "Java 24 or later, which links read and write critical with errno captured in heap memory (this is"
          + " Java " + release + ")";
    }
    return null;
  }

  private static String missingSystemCalls(Set<String> simulated) {
    int pidfd;
    try {
      if (simulated.contains("pidfd_open")) {
        throw new NativeException("pidfd_open", Libc.ENOSYS);
      }
      pidfd = Posix.pidfdOpen(ProcessHandle.current().pid());
    } catch (NativeException e) {
      return systemCall("pidfd_open", e.errno());
    }
    try {
      int rc = simulated.contains("pidfd_send_signal") ? -Libc.ENOSYS : Posix.pidfdSendSignal(pidfd, 0);
      if (rc != 0) {
        return systemCall("pidfd_send_signal", -rc);
      }
      int errno = simulated.contains("waitid") ? Libc.EINVAL : waitidErrno(pidfd);
      if (errno != Libc.ECHILD) {
        return systemCall("waitid(P_PIDFD)", errno);
      }
      return null;
    } finally {
      Posix.close(pidfd);
    }
  }

  /** Returns the errno of {@code waitid(P_PIDFD)} on a pidfd of this JVM: ECHILD where the call exists. */
  private static int waitidErrno(int pidfd) {
    try {
      Reaping.reap(pidfd);   // the call every reap makes, so the probe binds nothing more
      return 0;
    } catch (NativeException e) {
      return e.errno();
    }
  }

  private static String systemCall(String call, int errno) {
    return "the system call " + call + " (Linux 5.4 or later, not blocked by seccomp), which failed with "
        + Libc.errorText(errno) + " (" + Libc.errorName(errno) + ")";
  }
}

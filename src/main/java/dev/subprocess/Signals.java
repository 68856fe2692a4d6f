package dev.subprocess;

/**
 * Names the POSIX signals that {@link Command#killSignal(int)} and {@link CompletedProcess#returnCode()} speak of,
 * with their numbers on Linux.
 *
 * <p>A return code of {@code -N} means the process was killed by signal {@code N}, as in Python.
 *
 * <pre>{@code
 * Command graceful = Command.of("./server").killSignal(Signals.SIGINT).killGrace(Duration.ofSeconds(10));
 * String name = Signals.name(-completed.returnCode());   // "SIGKILL" for a return code of -9
 * }</pre>
 */
public final class Signals {
  /** Hangup (1). */
  public static final int SIGHUP = 1;
  /** Interrupt from the keyboard (2). */
  public static final int SIGINT = 2;
  /** Quit from the keyboard (3). */
  public static final int SIGQUIT = 3;
  /** Abort (6). */
  public static final int SIGABRT = 6;
  /** Kill, which cannot be caught or ignored (9). */
  public static final int SIGKILL = 9;
  /** User-defined signal 1 (10). */
  public static final int SIGUSR1 = 10;
  /** Segmentation fault (11). */
  public static final int SIGSEGV = 11;
  /** User-defined signal 2 (12). */
  public static final int SIGUSR2 = 12;
  /** Write to a pipe with no reader (13). */
  public static final int SIGPIPE = 13;
  /** Alarm clock (14). */
  public static final int SIGALRM = 14;
  /** Termination request, the default first signal of the stop policy (15). */
  public static final int SIGTERM = 15;
  /** Continue if stopped (18). */
  public static final int SIGCONT = 18;
  /** Stop, which cannot be caught or ignored (19). */
  public static final int SIGSTOP = 19;

  private static final String[] NAMES = {
    null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
    "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
    "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
    "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"
  };

  private Signals() {}

  /**
   * Returns the name of signal {@code signal}, such as {@code SIGTERM}, or {@code SIG<n>} for others.
   *
   * @param signal the signal number; any value is accepted
   * @return the Linux name of the signal, {@code SIGRTMIN+k} for real-time signals
   */
  public static String name(int signal) {
    if (signal > 0 && signal < NAMES.length) {
      return NAMES[signal];
    }
    return signal >= 34 && signal <= 64 ? "SIGRTMIN+" + (signal - 34) : "SIG" + signal;
  }
}

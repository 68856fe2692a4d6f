package dev.subprocess.internal;

/** Gives backends the signal numbers and names they need, from the engine rather than the public API. */
public final class SignalNumbers {
  /** Termination, the stop policy's first signal by default. */
  public static final int SIGTERM = dev.subprocess.Signals.SIGTERM;
  /** Kill, which cannot be caught. */
  public static final int SIGKILL = dev.subprocess.Signals.SIGKILL;

  private SignalNumbers() {}

  /** Returns the name of {@code signal}, such as {@code SIGUSR1}. */
  public static String name(int signal) {
    return dev.subprocess.Signals.name(signal);
  }
}

package dev.subprocess.internal.ssh;

import java.util.Map;

/**
 * Translates between signal numbers (Linux numbering) and the names SSH uses: the signals a client may send
 * with the {@code signal} channel request (RFC 4254, section 6.9), and the names an {@code exit-signal} may
 * report.
 */
final class SignalNames {
  /** The signals RFC 4254 names, the only ones a {@code signal} request can carry. */
  private static final Map<Integer, String> SENDABLE = Map.ofEntries(
      Map.entry(1, "HUP"), Map.entry(2, "INT"), Map.entry(3, "QUIT"), Map.entry(4, "ILL"), Map.entry(6, "ABRT"),
      Map.entry(8, "FPE"), Map.entry(9, "KILL"), Map.entry(10, "USR1"), Map.entry(11, "SEGV"),
      Map.entry(12, "USR2"), Map.entry(13, "PIPE"), Map.entry(14, "ALRM"), Map.entry(15, "TERM"));

  /** Every Linux signal by name, for {@code exit-signal}. */
  private static final Map<String, Integer> NUMBERS = Map.ofEntries(
      Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
      Map.entry("ABRT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10),
      Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14),
      Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17), Map.entry("CONT", 18),
      Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("TTIN", 21), Map.entry("TTOU", 22),
      Map.entry("URG", 23), Map.entry("XCPU", 24), Map.entry("XFSZ", 25), Map.entry("VTALRM", 26),
      Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29), Map.entry("PWR", 30),
      Map.entry("SYS", 31));

  private SignalNames() {}

  /** Returns the SSH name of {@code signal}, or null when a {@code signal} request cannot carry it. */
  static String sendable(int signal) {
    return SENDABLE.get(signal);
  }

  /** Returns the number of the signal an {@code exit-signal} names, or 0 when unknown. */
  static int number(String name) {
    if (name == null) {
      return 0;
    }
    String bare = name.startsWith("SIG") ? name.substring(3) : name;
    return NUMBERS.getOrDefault(bare, 0);
  }
}

package dev.subprocess.internal;

import dev.subprocess.internal.linux.LinuxLauncher;

/** Offers the Linux backend on Linux. */
final class NativeLaunchers {
  private NativeLaunchers() {}

  /** Returns the Linux backend, or null when this is not Linux. */
  static Launcher linux() {
    return isLinux() ? new LinuxLauncher() : null;
  }

  /** Says why there is no native backend here. */
  static String unavailableReason() {
    return "the linux backend runs on Linux only (this is " + System.getProperty("os.name") + ")";
  }

  private static boolean isLinux() {
    return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux");
  }
}

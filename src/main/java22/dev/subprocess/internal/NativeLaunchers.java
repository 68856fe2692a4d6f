package dev.subprocess.internal;

import dev.subprocess.internal.linux.LinuxLauncher;

/** Offers the Linux backend on Linux, when the platform has what it needs. */
final class NativeLaunchers {
  private NativeLaunchers() {}

  /** Tells whether the jar's Java 22 layer, which holds the native backend, was loaded: it was. */
  static boolean versioned() {
    return true;
  }

  /**
   * Begins probing the platform for the Linux backend, and binding what its launches call, on a thread of its own
   * (see {@link LinuxLauncher#prepare}), unless this is not Linux or that has begun already. Call it only with
   * native access.
   */
  static void prepare() {
    if (isLinux()) {
      LinuxLauncher.prepare();
    }
  }

  /**
   * Returns the Linux backend, or null when this is not Linux or the platform lacks what the backend needs (see
   * {@link #unavailableReason()}). Probes the platform with native calls: call it only with native access.
   */
  static Launcher linux() {
    return isLinux() && LinuxLauncher.missing() == null ? new LinuxLauncher() : null;
  }

  /** Says why there is no native backend here. */
  static String unavailableReason() {
    if (!isLinux()) {
      return "the linux backend runs on Linux only (this is " + System.getProperty("os.name") + ")";
    }
    return "the linux backend needs " + LinuxLauncher.missing();
  }

  private static boolean isLinux() {
    return System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("linux");
  }
}

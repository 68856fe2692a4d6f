package dev.subprocess.internal;

/**
 * Offers the native backend where it exists. Before Java 22 there is none; the Java 22 layer of the jar replaces
 * this class with one that offers the Linux backend.
 */
final class NativeLaunchers {
  private NativeLaunchers() {}

  /** Tells whether the jar's Java 22 layer, which holds the native backend, was loaded: not here. */
  static boolean versioned() {
    return false;
  }

  /**
   * Would begin probing for the native backend ahead of its first use, on a thread of its own: there is nothing to
   * probe here.
   */
  static void prepare() {
    // No native backend on this runtime.
  }

  /** Returns the Linux backend, or null when this runtime has none. */
  static Launcher linux() {
    return null;
  }

  /** Says why there is no native backend on this runtime. */
  static String unavailableReason() {
    int feature = Runtime.version().feature();
    if (feature >= 22) {
      return Backends.missingVersionedClasses(feature);
    }
    return "the linux backend needs Java 22 or later (this is Java " + feature + ")";
  }
}

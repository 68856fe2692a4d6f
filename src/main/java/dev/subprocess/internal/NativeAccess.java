package dev.subprocess.internal;

/**
 * Tells whether this library may call native code without the JDK warning on the user's behalf. Before Java 22
 * there is no Foreign Function API, so never; the Java 22 layer of the jar replaces this class.
 */
final class NativeAccess {
  private NativeAccess() {}

  /** Returns whether native access is enabled for this library's module: never before Java 22. */
  static boolean isEnabled() {
    return false;
  }
}

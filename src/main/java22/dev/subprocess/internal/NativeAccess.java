package dev.subprocess.internal;

/**
 * Tells whether this library may call native code without the JDK warning on the user's behalf: whether the
 * application enabled native access for this library's module ({@code --enable-native-access=dev.subprocess}
 * on the module path, {@code ALL-UNNAMED} on the class path).
 */
final class NativeAccess {
  private NativeAccess() {}

  /** Returns whether native access is enabled for this library's module. */
  static boolean isEnabled() {
    return NativeAccess.class.getModule().isNativeAccessEnabled();
  }
}

package dev.subprocess.internal;

import dev.subprocess.internal.jdk.JdkLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the backend once per JVM: the Linux native backend when the runtime is Java 22+ on Linux, native access
 * is enabled for the library and the platform has what the backend needs (probed when it is selected), the
 * portable JDK backend otherwise, with one INFO line saying how to enable the fast path or what the platform
 * lacks. The system property {@value #PROPERTY} forces one by name.
 */
final class Backends {
  /** The system property that forces a backend by name. */
  static final String PROPERTY = "dev.subprocess.launcher";

  private static final Logger log = LoggerFactory.getLogger(Backends.class);

  private Backends() {}

  static Launcher launcher() {
    return Selected.LAUNCHER;
  }

  static Launcher select(String forced) {
    if (forced != null && !forced.isBlank()) {
      switch (forced.trim()) {
        case JdkLauncher.NAME:
          return new JdkLauncher();
        case "linux": {
          Launcher linux = NativeLaunchers.linux();
          if (linux == null) {
            throw new IllegalStateException("-D" + PROPERTY + "=linux cannot be honoured: "
                + NativeLaunchers.unavailableReason());
          }
          return linux;
        }
        default:
          throw new IllegalStateException("-D" + PROPERTY + "=" + forced + " names no backend of this library;"
              + " the backends are: jdk, linux");
      }
    }
    boolean onLinux = System.getProperty("os.name", "").startsWith("Linux");
    if (NativeAccess.isEnabled()) {
      Launcher linux = NativeLaunchers.linux();
      if (linux != null) {
        return linux;
      }
      if (onLinux) {
        log.info("dev.subprocess uses its portable jdk backend: {}, which this system lacks.",
            NativeLaunchers.unavailableReason());
      }
    } else if (onLinux) {
      log.info("dev.subprocess uses its portable jdk backend. For the faster linux backend (posix_spawn, one"
          + " event-loop thread for all processes), run on Java 22+ with --enable-native-access=dev.subprocess"
          + " (module path) or --enable-native-access=ALL-UNNAMED (class path).");
    }
    return new JdkLauncher();
  }

  /** Holds the backend, chosen on first use. */
  private static final class Selected {
    static final Launcher LAUNCHER = select(System.getProperty(PROPERTY));

    static {
      log.debug("backend: {} (Java {}, native access {})", LAUNCHER.name(), Runtime.version().feature(),
          NativeAccess.isEnabled() ? "enabled" : "not enabled");
    }
  }
}

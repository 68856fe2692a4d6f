package dev.subprocess.internal;

import dev.subprocess.internal.jdk.JdkLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the backend once per JVM. The system property {@value #PROPERTY} forces one by name; the portable JDK
 * backend over {@link ProcessBuilder} is the default and runs everywhere Java 17 does.
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
    if (forced == null || forced.isBlank() || forced.equals(JdkLauncher.NAME)) {
      return new JdkLauncher();
    }
    throw new IllegalStateException("-D" + PROPERTY + "=" + forced + " names no backend of this library;"
        + " the backends are: " + JdkLauncher.NAME);
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

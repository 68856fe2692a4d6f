package dev.subprocess.internal;

import dev.subprocess.internal.jdk.JdkLauncher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the backend once per JVM: the Linux native backend when the runtime is Java 22+ on Linux, native access
 * is enabled for the library and the platform has what the backend needs (probed when it is selected), the
 * portable JDK backend otherwise, with one line that says what would give the fast path there: the native-access
 * flag that fits how the library was loaded, the jar's missing versioned classes, what the platform lacks, or (at
 * DEBUG, since nothing can be enabled) a newer Java. The system property {@value #PROPERTY} forces one by name.
 */
final class Backends {
  /** The system property that forces a backend by name. */
  static final String PROPERTY = "dev.subprocess.launcher";

  private static final Logger log = LoggerFactory.getLogger(Backends.class);

  private Backends() {}

  static Launcher launcher() {
    return Selected.LAUNCHER;
  }

  private static volatile boolean prepared;

  /**
   * Readies the first local launch of this JVM, once, on short-lived threads of their own while the caller
   * assembles its first run: starts the {@link Watchdog}, which the first child needs, and, at the same time on
   * another thread, probes the platform for the linux backend where it may be chosen (by default, or when it is
   * forced) and binds its launch path. Neither waits for the other: the watchdog's start is mostly waiting for
   * its exec, the probe is mostly the Foreign Function API's first use. {@link #launcher()} and the first launch
   * wait for what is left of them.
   */
  static void prepare() {
    if (prepared) {
      return;
    }
    prepared = true;
    String forced = System.getProperty(PROPERTY);
    boolean probes = (forced == null || forced.isBlank() || forced.trim().equals("linux"))
        && NativeLaunchers.versioned() && NativeAccess.isEnabled();
    if (probes) {
      NativeLaunchers.prepare();   // first: the probe is what the first launch waits for longest
    }
    Thread thread = new Thread(LiveProcesses::watchdog, "subprocess-prepare");
    thread.setDaemon(true);
    thread.start();
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
    boolean versioned = NativeLaunchers.versioned();
    if (versioned && NativeAccess.isEnabled()) {
      Launcher linux = NativeLaunchers.linux();
      if (linux != null) {
        return linux;
      }
      if (onLinux) {
        log.info("dev.subprocess uses its portable jdk backend: {}, which this system lacks.",
            NativeLaunchers.unavailableReason());
      }
    } else if (onLinux) {
      int feature = Runtime.version().feature();
      String advice = advice(feature, versioned, Backends.class.getModule().isNamed());
      if (feature < 22) {
        log.debug(advice);     // nothing to enable on this runtime: not worth a line on every start
      } else {
        log.info(advice);
      }
    }
    return new JdkLauncher();
  }

  /**
   * Says why the jdk backend runs on Linux and what gives the linux one: a newer runtime, the jar's versioned
   * classes, or the native-access flag that fits the way the library was loaded.
   */
  static String advice(int feature, boolean versionedClassesLoaded, boolean namedModule) {
    String intro = "dev.subprocess uses its portable jdk backend";
    String fast = "the faster linux backend (posix_spawn, one event-loop thread for all processes)";
    if (feature < 22) {
      return intro + ": " + fast + " needs Java 22 or later, and this is Java " + feature
          + ". Run on Java 22+ (25 is the current LTS) with native access enabled to get it.";
    }
    if (!versionedClassesLoaded) {
      return intro + ": " + missingVersionedClasses(feature);
    }
    if (namedModule) {
      return intro + ". For " + fast + ", grant the library native access: it is the named module dev.subprocess"
          + " (module path), so add --enable-native-access=dev.subprocess to the java command; ALL-UNNAMED covers"
          + " only the class path.";
    }
    return intro + ". For " + fast + ", grant the library native access: it is on the class path (unnamed"
        + " module), so add --enable-native-access=ALL-UNNAMED to the java command (or to JAVA_TOOL_OPTIONS), or"
        + " put 'Enable-Native-Access: ALL-UNNAMED' in the manifest of the executable jar.";
  }

  /** Says that the jar's Java 22 layer was not loaded on a runtime that could use it, and how to keep it. */
  static String missingVersionedClasses(int feature) {
    java.security.CodeSource source = Backends.class.getProtectionDomain().getCodeSource();
    String where = source == null || source.getLocation() == null ? "" : " from " + source.getLocation();
    return "this is Java " + feature + ", but the library's Java 22 classes (META-INF/versions/22 of its"
        + " multi-release jar), which hold the linux backend, were not loaded" + where + ". They are missing when"
        + " the library runs from a classes directory (an IDE, a build plugin's goal) or from a jar whose manifest"
        + " lacks 'Multi-Release: true' (a shaded or repackaged jar): run it from its jar, or keep that manifest"
        + " attribute and the META-INF/versions/22 entries when repackaging.";
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

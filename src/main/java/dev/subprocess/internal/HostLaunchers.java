package dev.subprocess.internal;

import dev.subprocess.Host;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Knows which launcher starts the processes of each remote host: the link from a public {@link Host} to the
 * engine, kept here so that host classes show no engine type. The local host has none: its processes start with
 * the backend chosen for the JVM.
 */
public final class HostLaunchers {
  private static final Map<Host, Launcher> LAUNCHERS = Collections.synchronizedMap(new WeakHashMap<>());

  private HostLaunchers() {}

  /** Records that {@code launcher} starts the processes of {@code host}; called once by the host. */
  public static void bind(Host host, Launcher launcher) {
    LAUNCHERS.put(host, launcher);
  }

  /**
   * Returns the launcher of {@code host}, or null for the local host (the JVM's backend).
   *
   * @throws IllegalArgumentException for a host this library did not make
   */
  public static Launcher of(Host host) {
    if (host == null || host == Host.local()) {
      return null;
    }
    Launcher launcher = LAUNCHERS.get(host);
    if (launcher == null) {
      throw new IllegalArgumentException(host + " is not a host of this library: use Host.local() or a class"
          + " of dev.subprocess.ssh");
    }
    return launcher;
  }
}

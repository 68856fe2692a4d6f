package dev.subprocess.internal;

import java.util.ArrayList;
import java.util.List;
import reactor.util.context.ContextView;

/**
 * Holds the one {@link ProcessObserver} of this JVM, if any, and hands each process its probe. Without an
 * observer installed the engine does nothing more than it did before.
 */
public final class ProcessObservers {
  private static volatile ProcessObserver installed;

  private ProcessObservers() {}

  /**
   * Installs {@code observer} for every process started from now on, replacing the one installed before.
   *
   * @param observer the observer, or null to remove the one installed
   */
  public static void install(ProcessObserver observer) {
    installed = observer;
  }

  /**
   * Returns the observer installed, or null.
   *
   * @return the observer, or null
   */
  public static ProcessObserver installed() {
    return installed;
  }

  /** Announces {@code specs} to the observer; returns their probes (null entries allowed), or null for none. */
  static List<ProcessObserver.Probe> starting(List<RunSpec> specs, ContextView context) {
    ProcessObserver observer = installed;
    if (observer == null) {
      return null;
    }
    List<ProcessObserver.Probe> probes = new ArrayList<>(specs.size());
    for (RunSpec spec : specs) {
      probes.add(observer.starting(spec.launch().argv(), context));
    }
    return probes;
  }

  /** Tells every probe that its process could not start. */
  static void failed(List<ProcessObserver.Probe> probes, Throwable error) {
    if (probes != null) {
      for (ProcessObserver.Probe probe : probes) {
        if (probe != null) {
          probe.failed(error);
        }
      }
    }
  }

  /** Hands each started execution its probe. */
  static void attach(List<ProcessObserver.Probe> probes, List<Execution> executions) {
    if (probes != null) {
      for (int i = 0; i < executions.size(); i++) {
        if (probes.get(i) != null) {
          executions.get(i).observe(probes.get(i));
        }
      }
    }
  }
}

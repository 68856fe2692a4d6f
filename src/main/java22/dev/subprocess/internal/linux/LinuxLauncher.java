package dev.subprocess.internal.linux;

import dev.subprocess.internal.ChildProcess;
import dev.subprocess.internal.Feature;
import dev.subprocess.internal.LaunchSpec;
import dev.subprocess.internal.Launcher;
import dev.subprocess.internal.PipeLimit;
import dev.subprocess.internal.RunSpec;
import dev.subprocess.internal.SignalNumbers;
import dev.subprocess.internal.StartFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts processes with {@code posix_spawn} through the Foreign Function and Memory API, and serves all of them
 * from one event-loop thread: the fast backend on Linux with Java 22+. It honours every option: any signal,
 * exact signal return codes, new sessions, passed descriptors and pipe sizes.
 */
public final class LinuxLauncher implements Launcher {
  /** The backend's name, for {@code -Ddev.subprocess.launcher}. */
  public static final String NAME = "linux";

  /**
   * Returns what this system lacks for the linux backend (a C library symbol, a system call, the architecture),
   * or null when it has everything. Asks once; safe to call only with native access enabled.
   */
  public static String missing() {
    return Probe.RESULT;
  }

  private static final AtomicBoolean PREPARED = new AtomicBoolean();

  /**
   * Probes the platform ({@link #missing()}) and, when it has what the backend needs, binds the C functions that a
   * launch calls, once per JVM, on a short-lived thread of its own, while the caller goes on assembling its first
   * run: the Foreign Function API's first use, which the probe makes, and the bindings cost more than the rest of
   * a first launch. Whoever needs the answer or a binding first waits for it. Does nothing when this has begun
   * already. Safe to call only with native access.
   */
  public static void prepare() {
    if (PREPARED.compareAndSet(false, true)) {
      Thread warmUp = new Thread(LinuxLauncher::warmUp, "subprocess-linux-bind");
      warmUp.setDaemon(true);
      warmUp.start();
    }
  }

  private static void warmUp() {
    try {
      if (missing() == null) {
        Spawner.bind();
      }
    } catch (Throwable ignored) {
      // The caller that needs the answer asks again, and reports what failed.
    }
  }

  /**
   * Creates the launcher, once the platform was found to have what it needs, and binds the C functions that a
   * launch calls ahead of the first launch ({@link #prepare}) if that has not begun yet.
   */
  public LinuxLauncher() {
    prepare();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public java.util.Set<Feature> features() {
    return java.util.EnumSet.allOf(Feature.class);
  }

  @Override
  public void requireSupport(RunSpec spec) {
    // Every option is supported.
  }

  @Override
  public ChildProcess start(LaunchSpec spec) {
    return Spawner.spawn(spec, -1, -1);
  }

  @Override
  public List<ChildProcess> startPipeline(List<LaunchSpec> stages) {
    List<ChildProcess> started = new ArrayList<>(stages.size());
    int previousRead = -1;
    try {
      for (int i = 0; i < stages.size(); i++) {
        int[] between = null;
        try {
          between = i < stages.size() - 1 ? pipe(stages.get(i)) : null;
          started.add(Spawner.spawn(stages.get(i), previousRead, between == null ? -1 : between[1]));
        } catch (RuntimeException | Error e) {
          if (between != null) {
            Posix.close(between[0]);
          }
          throw e;
        } finally {
          Posix.close(previousRead);
          if (between != null) {
            Posix.close(between[1]);
          }
        }
        previousRead = between == null ? -1 : between[0];
      }
      return started;
    } catch (RuntimeException | Error e) {
      // An Error too (out of memory): the stages started before it must not outlive the failed start.
      for (ChildProcess child : started) {
        child.signal(SignalNumbers.SIGKILL, true);
        child.release();
      }
      throw e;
    }
  }

  /** Makes the pipe from {@code stage} to the next; closes both ends if it cannot be sized. */
  private static int[] pipe(LaunchSpec stage) {
    int[] pipe = null;
    try {
      pipe = Posix.pipe();
      if (stage.pipeSize() > 0) {
        Posix.setPipeSize(pipe[1], stage.pipeSize());
      }
      return pipe;
    } catch (NativeException e) {
      if (pipe != null) {
        Posix.close(pipe[0]);
        Posix.close(pipe[1]);
      }
      throw new StartFailure(stage, "cannot make the pipe to the next stage: "
          + (pipe != null ? PipeLimit.reason(stage.pipeSize(), e.errorText()) : e.errorText()), e.errorName(), e);
    }
  }

  /** Starts processes on the subscribing thread: {@code posix_spawn} returns as soon as the child has exec'd. */
  @Override
  public Executor startExecutor() {
    return Runnable::run;
  }
}

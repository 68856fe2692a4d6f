package dev.subprocess.internal;

import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Starts a process for a subscriber, on the backend's start executor, so that a process started after its
 * subscriber cancelled is stopped at once instead of leaking.
 */
final class Launch {
  private static final Logger log = LoggerFactory.getLogger(Launch.class);
  private static final Object CANCELLED = new Object();

  private Launch() {}

  /** Emits the started process, wired for {@code spec}, or fails with why it could not start. */
  static Mono<Execution> start(Launcher launcher, RunSpec spec) {
    return Mono.create(sink -> {
      AtomicReference<Object> state = new AtomicReference<>();
      sink.onCancel(() -> {
        if (state.getAndSet(CANCELLED) instanceof Execution started) {
          abandon(started);
        }
      });
      launcher.startExecutor().execute(() -> {
        Execution execution;
        try {
          Preflight.check(spec.launch());
          long t0 = System.nanoTime();
          ChildProcess child = launcher.start(spec.launch());
          execution = new Execution(spec, child);
          if (log.isDebugEnabled()) {
            log.debug("started {} with the {} backend in {} us", execution.describe(), launcher.name(),
                (System.nanoTime() - t0) / 1000);
          }
        } catch (Throwable t) {
          sink.error(t);
          return;
        }
        if (state.compareAndSet(null, execution)) {
          sink.success(execution);
        } else {
          abandon(execution);
        }
      });
    });
  }

  private static void abandon(Execution execution) {
    execution.stopAndRelease().subscribe(null, e -> log.warn("could not stop {}", execution.describe(), e));
  }
}

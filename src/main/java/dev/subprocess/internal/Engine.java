package dev.subprocess.internal;

import dev.subprocess.CompletedProcess;
import reactor.core.publisher.Mono;

/**
 * Runs commands on the selected backend: the one entry point from the public API into the engine.
 */
public final class Engine {
  private Engine() {}

  /** Returns a lazy {@code Mono} that runs {@code spec} to completion on each subscription. */
  public static Mono<CompletedProcess> run(RunSpec spec) {
    return RunOperation.run(Backends.launcher(), spec);
  }

  /** Returns the name of the backend in use, such as {@code jdk}. */
  public static String backendName() {
    return Backends.launcher().name();
  }
}

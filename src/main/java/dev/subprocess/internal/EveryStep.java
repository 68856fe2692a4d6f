package dev.subprocess.internal;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;

/**
 * Runs every step of a cleanup even when one throws, so that a failing step (a user's publisher or observer that
 * breaks its contract, an error the JVM raises) cannot skip the steps after it: pipes stay closable, timers
 * cancelled, processes unregistered. What a step threw is logged; a JVM-fatal error is thrown on after the last
 * step, as Reactor's {@code Exceptions.throwIfJvmFatal} policy does.
 */
final class EveryStep {
  private static final Logger log = LoggerFactory.getLogger(EveryStep.class);

  private EveryStep() {}

  /**
   * Runs each of {@code steps} in order, whatever the ones before threw; {@code what} names the cleanup, built only
   * when a step failed.
   */
  static void run(Supplier<String> what, Runnable... steps) {
    Throwable fatal = null;
    for (Runnable step : steps) {
      try {
        step.run();
      } catch (Throwable t) {
        log.error("a step of {} failed; the steps after it ran all the same", what.get(), t);
        if (fatal == null && isJvmFatal(t)) {
          fatal = t;
        }
      }
    }
    if (fatal != null) {
      Exceptions.throwIfJvmFatal(fatal);
    }
  }

  private static boolean isJvmFatal(Throwable t) {
    return t instanceof VirtualMachineError || t instanceof ThreadDeath || t instanceof LinkageError;
  }
}

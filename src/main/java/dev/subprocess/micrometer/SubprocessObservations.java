package dev.subprocess.micrometer;

import dev.subprocess.internal.ProcessObservers;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;

/**
 * Turns on a Micrometer {@link io.micrometer.observation.Observation Observation} for every process the library
 * starts from now on, in this JVM: a timer per command and outcome, and a span in the subscriber's trace.
 *
 * <p>Each observation is named {@value DefaultProcessObservationConvention#NAME}, starts just before the process
 * is spawned and stops once it has ended and its publisher has released it. Its low-cardinality key values are
 * the command's program name ({@code command}, such as {@code git}), the {@code outcome} ({@code OK},
 * {@code FAILED}, {@code TIMED_OUT}, {@code CANCELLED}) and the {@code exit.code}; its high-cardinality ones
 * are the {@code pid} and the bytes moved ({@code stdout.bytes}, {@code stderr.bytes}, {@code stdin.bytes}). A
 * process that cannot start is observed with its {@link dev.subprocess.ProcessStartException} as the error. The
 * parent observation is the one in the subscriber's Reactor {@code Context} (under
 * {@code ObservationThreadLocalAccessor.KEY}, where WebFlux and Reactor's own {@code tap(Micrometer.observation(...))}
 * put it), else the registry's current observation on the subscribing thread; so a tracing handler makes each
 * process a child span of the request that ran it.
 *
 * <p>{@code micrometer-observation} is an optional dependency of this library: nothing of it, and nothing of
 * this package, is loaded until an application calls {@link #enable(ObservationRegistry)}.
 *
 * <pre>{@code
 * ObservationRegistry registry = ObservationRegistry.create();
 * registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meterRegistry));
 * SubprocessObservations.enable(registry);          // once, at startup
 *
 * Command.of("git", "fetch").run().block();          // timer subprocess{command=git,outcome=OK,exit.code=0}
 * }</pre>
 */
public final class SubprocessObservations {
  private SubprocessObservations() {}

  /**
   * Observes every process started from now on in {@code registry}, with the default key values
   * ({@link DefaultProcessObservationConvention}); replaces what an earlier call enabled.
   *
   * @param registry where the observations go
   */
  public static void enable(ObservationRegistry registry) {
    enable(registry, null);
  }

  /**
   * Observes every process started from now on in {@code registry}, with {@code convention} choosing the name and
   * key values (the registry's global conventions still take precedence, as Micrometer rules); replaces what an
   * earlier call enabled.
   *
   * <pre>{@code
   * SubprocessObservations.enable(registry, new DefaultProcessObservationConvention() {
   *   @Override
   *   public KeyValues getLowCardinalityKeyValues(ProcessObservationContext context) {
   *     return super.getLowCardinalityKeyValues(context).and("team", "builds");
   *   }
   * });
   * }</pre>
   *
   * @param registry where the observations go
   * @param convention the convention that names observations and their key values, or null for the default one
   */
  public static void enable(ObservationRegistry registry, ProcessObservationConvention convention) {
    Objects.requireNonNull(registry, "registry");
    ProcessObservers.install(new ObservingProcessObserver(registry, convention));
  }

  /**
   * Stops observing processes started from now on; processes already observed are still reported when they end.
   */
  public static void disable() {
    if (ProcessObservers.installed() instanceof ObservingProcessObserver) {
      ProcessObservers.install(null);
    }
  }
}

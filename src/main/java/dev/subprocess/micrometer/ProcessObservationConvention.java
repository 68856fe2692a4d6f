package dev.subprocess.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names the observation of a process and chooses its key values; implement it, or extend
 * {@link DefaultProcessObservationConvention}, to change them, and pass it to
 * {@link SubprocessObservations#enable(io.micrometer.observation.ObservationRegistry, ProcessObservationConvention)}.
 *
 * <pre>{@code
 * ProcessObservationConvention byCommand = new DefaultProcessObservationConvention() {
 *   @Override
 *   public String getName() {
 *     return "builds.process";
 *   }
 * };
 * }</pre>
 */
public interface ProcessObservationConvention extends ObservationConvention<ProcessObservationContext> {

  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof ProcessObservationContext;
  }
}

package dev.subprocess.micrometer;

import dev.subprocess.internal.ProcessObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import java.util.List;
import reactor.util.context.ContextView;

/** Starts an observation for each process, child of the subscriber's, and completes it when the process ends. */
final class ObservingProcessObserver implements ProcessObserver {
  private static final DefaultProcessObservationConvention DEFAULT = new DefaultProcessObservationConvention();

  private final ObservationRegistry registry;
  private final ProcessObservationConvention convention;

  ObservingProcessObserver(ObservationRegistry registry, ProcessObservationConvention convention) {
    this.registry = registry;
    this.convention = convention;
  }

  @Override
  public Probe starting(List<String> argv, ContextView context) {
    if (registry.isNoop()) {
      return null;
    }
    ProcessObservationContext processContext = new ProcessObservationContext(argv);
    Observation observation = Observation.createNotStarted(convention, DEFAULT, () -> processContext, registry)
        .parentObservation(parent(context))
        .start();
    return new ObservationProbe(observation, processContext);
  }

  private Observation parent(ContextView context) {
    // The key is a compile-time constant: reading it loads nothing of context-propagation.
    Object inContext = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
    return inContext instanceof Observation observation ? observation : registry.getCurrentObservation();
  }

  /** Fills the context of one process's observation and stops the observation at the end. */
  private static final class ObservationProbe implements Probe {
    private final Observation observation;
    private final ProcessObservationContext context;

    ObservationProbe(Observation observation, ProcessObservationContext context) {
      this.observation = observation;
      this.context = context;
    }

    @Override
    public void started(long pid) {
      context.setPid(pid);
    }

    @Override
    public void failed(Throwable error) {
      context.setOutcome(ProcessObservationContext.Outcome.FAILED);
      observation.error(error);
      observation.stop();
    }

    @Override
    public void ended(int returnCode, ProcessObserver.Outcome outcome, long stdoutBytes, long stderrBytes,
        long stdinBytes) {
      context.setEnd(returnCode, ProcessObservationContext.Outcome.valueOf(outcome.name()), stdoutBytes, stderrBytes,
          stdinBytes);
      observation.stop();
    }
  }
}

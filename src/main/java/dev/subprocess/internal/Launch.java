package dev.subprocess.internal;

import dev.subprocess.Signals;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * Starts processes for a subscriber, on the backend's start executor, so that a process started after its
 * subscriber cancelled is stopped at once instead of leaking. Environment variables taken from the subscriber's
 * Context are resolved here, and options the backend cannot honour are refused before anything starts. A start
 * that redirects to or from a FIFO first waits for the FIFO's other end on a thread of its own ({@link FifoWait}).
 */
final class Launch {
  private static final Logger log = LoggerFactory.getLogger(Launch.class);
  private static final Object CANCELLED = new Object();

  private Launch() {}

  /** Emits the started process, wired for {@code spec}, or fails with why it could not start. */
  static Mono<Execution> start(Launcher launcher, RunSpec spec) {
    return startAll(launcher, List.of(spec)).map(started -> started.get(0));
  }

  /**
   * Emits the started processes of a pipeline, stdout of each joined to stdin of the next by an OS pipe. If one
   * cannot start, those started before it are stopped and the start fails.
   */
  static Mono<List<Execution>> startAll(Launcher launcher, List<RunSpec> unresolved) {
    return Mono.deferContextual(context -> {
      List<RunSpec> specs = new ArrayList<>(unresolved.size());
      for (RunSpec spec : unresolved) {
        RunSpec resolved = spec.resolve(context);
        launcher.requireSupport(resolved);
        if (resolved.input() instanceof TextInput text) {
          text.encoded();   // text the encoding refuses fails the start, before anything runs
        }
        specs.add(resolved);
      }
      if (specs.size() > 1 && specs.stream().anyMatch(spec -> spec.launch().terminal() != null)) {
        throw new IllegalArgumentException("terminal() cannot be used for a stage of a pipeline: run the command"
            + " under a terminal on its own");
      }
      FifoWait fifos = FifoWait.of(specs.stream().map(RunSpec::launch).toList());
      List<ProcessObserver.Probe> probes = ProcessObservers.starting(specs, context);
      return Mono.<List<Execution>>create(sink -> {
        AtomicReference<Object> state = new AtomicReference<>();
        sink.onCancel(() -> {
          if (fifos != null) {
            fifos.cancel();
          }
          if (state.getAndSet(CANCELLED) instanceof List<?> started) {
            started.forEach(e -> abandon((Execution) e));
          }
        });
        Runnable start = () -> {
          List<Execution> executions;
          try {
            executions = startNow(launcher, specs, context);
          } catch (Throwable t) {
            ProcessObservers.failed(probes, t);
            sink.error(t);
            return;
          }
          ProcessObservers.attach(probes, executions);
          if (state.compareAndSet(null, executions)) {
            sink.success(executions);
          } else {
            executions.forEach(Launch::abandon);
          }
        };
        if (fifos == null) {
          launcher.startExecutor().execute(start);
        } else {
          // Opening a FIFO waits for its other end: never on the subscriber's thread, and never for ever.
          fifos.thenRun(start, () -> {
            log.debug("a start waiting for the other end of a FIFO was cancelled");
            ProcessObservers.failed(probes, new CancellationException("the start was cancelled while it waited for"
                + " the other end of a FIFO"));
          });
        }
      });
    });
  }

  private static List<Execution> startNow(Launcher launcher, List<RunSpec> specs, ContextView context) {
    List<LaunchSpec> launches = new ArrayList<>(specs.size());
    long t0 = System.nanoTime();
    List<ChildProcess> children;
    try {
      for (RunSpec spec : specs) {
        launches.add(launcher.preflight(spec.launch()));
      }
      children = launches.size() == 1
          ? List.of(launcher.start(launches.get(0)))
          : launcher.startPipeline(launches);
    } catch (StartFailure e) {
      throw StartFailures.toPublic(e);
    }
    List<Execution> executions = new ArrayList<>(children.size());
    try {
      for (int i = 0; i < children.size(); i++) {
        executions.add(new Execution(specs.get(i), children.get(i), context));
      }
    } catch (RuntimeException | Error e) {
      // Started but not wired (out of memory, a bug): the caller gets the error, and no child outlives it. A
      // cleanup step that fails too (out of memory again) skips no other child and does not replace the error.
      for (Execution execution : executions) {
        cleanUp(e, () -> abandon(execution));
      }
      for (ChildProcess child : children.subList(executions.size(), children.size())) {
        cleanUp(e, () -> child.signal(Signals.SIGKILL, true));
        cleanUp(e, child::release);
      }
      throw e;
    }
    stopTogetherOnTimeout(executions);
    if (log.isDebugEnabled()) {
      long micros = (System.nanoTime() - t0) / 1000;
      LogContext.run(context, () -> executions.forEach(e ->
          log.debug("started {} with the {} backend in {} us", e.describe(), launcher.name(), micros)));
    }
    return executions;
  }

  /**
   * Makes a stage of a pipeline that times out stop every other stage too, so that the pipeline ends then: a stage
   * that never reads its stdin, or never closes its stdout, would otherwise outlive the stage that timed out.
   */
  private static void stopTogetherOnTimeout(List<Execution> stages) {
    if (stages.size() < 2) {
      return;
    }
    for (Execution stage : stages) {
      stage.timedOut().subscribe(null, null, () -> stages.forEach(other -> {
        if (other != stage) {
          other.stop().subscribe(null, e -> log.warn("could not stop {}", other.describe(), e));
        }
      }));
    }
  }

  /** Runs a step of the cleanup after {@code error}; a failure of the step is added to it, not thrown. */
  private static void cleanUp(Throwable error, Runnable step) {
    try {
      step.run();
    } catch (Throwable t) {
      error.addSuppressed(t);
    }
  }

  private static void abandon(Execution execution) {
    execution.stopAndRelease().subscribe(null, e -> log.warn("could not stop {}", execution.describe(), e));
  }
}

package dev.subprocess.internal;

import dev.subprocess.Signals;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Holds one started process with everything wired to it: its output streams, its input feed, its exit, and the
 * stop policy (the kill signal, then SIGKILL after the grace). Every way of running a command builds on this.
 */
final class Execution {
  private static final Logger log = LoggerFactory.getLogger(Execution.class);

  private final RunSpec spec;
  private final ChildProcess child;
  private final Mono<Integer> exit;
  private final PipeFlux stdout;
  private final PipeFlux stderr;
  private final StdinFeeder feeder;
  private final AtomicBoolean released = new AtomicBoolean();

  Execution(RunSpec spec, ChildProcess child) {
    this.spec = spec;
    this.child = child;
    this.exit = Mono.fromFuture(child.exit(), true);
    this.stdout = child.stdout() == null ? null : new PipeFlux(child.stdout(), "stdout of " + describe());
    this.stderr = child.stderr() == null ? null : new PipeFlux(child.stderr(), "stderr of " + describe());
    this.feeder = child.stdin() == null ? null : new StdinFeeder(child.stdin());
    child.exit().whenComplete((code, error) -> {
      if (stdout != null) {
        stdout.processExited(spec.drainTimeout());
      }
      if (stderr != null) {
        stderr.processExited(spec.drainTimeout());
      }
    });
  }

  RunSpec spec() {
    return spec;
  }

  ChildProcess child() {
    return child;
  }

  /** Emits the return code once the process has exited and been reaped. */
  Mono<Integer> exit() {
    return exit;
  }

  /** Returns the stdout stream, or null when stdout is not piped. */
  PipeFlux stdout() {
    return stdout;
  }

  /** Returns the stderr stream, or null when stderr is not piped. */
  PipeFlux stderr() {
    return stderr;
  }

  /** Starts writing the command's input into stdin, or closes stdin at once when there is no input. */
  void feedInput() {
    if (feeder == null) {
      return;
    }
    if (spec.input() == null) {
      feeder.onComplete();
    } else {
      spec.input().subscribe(feeder);
    }
  }

  /** Never completes; fails when the input publisher fails. */
  Mono<Void> inputFailure() {
    return feeder == null ? Mono.never() : feeder.failure();
  }

  /**
   * Stops the process with the stop policy, if it is still running, and completes once it has been reaped:
   * the kill signal first, then SIGKILL when the process outlives the grace.
   */
  Mono<Void> stop() {
    return Mono.defer(() -> {
      if (child.exit().isDone()) {
        return Mono.empty();
      }
      int signal = spec.killSignal();
      log.debug("stopping {} with {}", describe(), Signals.name(signal));
      send(signal);
      if (signal == Signals.SIGKILL) {
        return exit.then();
      }
      return exit.timeout(spec.killGrace(), Mono.defer(() -> {
        if (!child.exit().isDone()) {
          if (spec.killGrace().isZero()) {
            log.debug("sending SIGKILL to {}", describe());
          } else {
            log.warn("{} outlived {} by {} ms: sending SIGKILL", describe(), Signals.name(signal),
                spec.killGrace().toMillis());
          }
          send(Signals.SIGKILL);
        }
        return exit;
      })).then();
    });
  }

  /** Stops the process if needed, then releases every pipe. */
  Mono<Void> stopAndRelease() {
    return stop().doFinally(s -> release());
  }

  /** Stops feeding stdin and closes this side of every pipe. Idempotent. */
  void release() {
    if (released.compareAndSet(false, true)) {
      if (feeder != null) {
        feeder.stop();
      }
      if (stdout != null) {
        stdout.discardIfUnsubscribed();
      }
      if (stderr != null) {
        stderr.discardIfUnsubscribed();
      }
      child.release();
    }
  }

  private void send(int signal) {
    try {
      child.signal(signal, spec.launch().newSession());
    } catch (RuntimeException e) {
      log.warn("could not send {} to {}: {}", Signals.name(signal), describe(), e.toString());
    }
  }

  String describe() {
    return "process " + child.pid() + " " + spec.launch().argv();
  }
}

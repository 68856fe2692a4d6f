package dev.subprocess.internal;

import dev.subprocess.CalledProcessException;
import dev.subprocess.Signals;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * Holds one started process with everything wired to it: its output streams, its input feed, its exit, its
 * time limit, and the stop policy (the kill signal, then SIGKILL after the grace). Every way of running a
 * command builds on this.
 */
final class Execution {
  private static final Logger log = LoggerFactory.getLogger(Execution.class);

  private final RunSpec spec;
  private final ChildProcess child;
  private final Mono<Integer> exit;
  private final PipePublisher stdout;
  private final PipePublisher stderr;
  private final SpooledStream stdoutSpool;
  private final SpooledStream stderrSpool;
  private final StdinFeeder feeder;
  private final AtomicBoolean released = new AtomicBoolean();
  private final Sinks.Empty<Void> timedOut = Sinks.empty();
  private final Sinks.Empty<Void> streamFailure = Sinks.empty();
  private final Disposable timer;
  private final ContextView context;
  private final long startNanos = System.nanoTime();
  private final java.util.concurrent.atomic.AtomicInteger endSignals = new java.util.concurrent.atomic.AtomicInteger();
  private volatile boolean owned;
  private volatile Throwable inputError;
  private volatile boolean timedOutFlag;
  /** Orders the deadline against the exit: whichever this process object learns of first decides the outcome. */
  private final Object outcomeLock = new Object();
  private boolean exitSettled;
  private volatile boolean stopRequested;
  private volatile ProcessObserver.Probe probe;

  Execution(RunSpec spec, ChildProcess child, ContextView context) {
    this.spec = spec;
    this.context = context;
    this.child = child;
    // Every reader of the exit sees it once the outcome is settled, so a deadline can no longer turn it into a
    // timeout after someone was told the process exited.
    this.exit = Mono.fromFuture(child.exit().whenComplete((code, error) -> settleExit()), true);
    String described = child.stdout() == null && child.stderr() == null && child.stdin() == null ? null
        : describe();   // once, if at all
    String stdoutName = child.stdout() == null ? null : "stdout of " + described;
    String stderrName = child.stderr() == null ? null : "stderr of " + described;
    this.stdout = child.stdout() == null ? null : new PipePublisher(child.stdout(), stdoutName, this::streamFailed);
    this.stderr = child.stderr() == null ? null : new PipePublisher(child.stderr(), stderrName, this::streamFailed);
    this.stdoutSpool = stdout == null ? null : new SpooledStream(stdout, stdoutName, spec.unreadBufferLimit());
    this.stderrSpool = stderr == null ? null : new SpooledStream(stderr, stderrName, spec.unreadBufferLimit());
    this.feeder = child.stdin() == null ? null : new StdinFeeder(child.stdin(), context, "stdin of " + described);
    // A limit of zero or less has passed already, as Python's timeout=0 has: whatever the process does next.
    this.timedOutFlag = spec.timeout() != null && (spec.timeout().isZero() || spec.timeout().isNegative());
    if (timedOutFlag) {
      timedOut.tryEmitEmpty();
    }
    this.timer = spec.timeout() == null ? null : Schedulers.parallel().schedule(this::onTimeout,
        Math.max(0, spec.timeout().toNanos()), TimeUnit.NANOSECONDS);
    try {
      LiveProcesses.add(this);
    } catch (RuntimeException | Error e) {
      if (timer != null) {
        timer.dispose();   // the start fails: no time limit of a process nobody runs stays scheduled
      }
      throw e;
    }
    child.exit().whenComplete((code, error) -> EveryStep.run(() -> "the exit of " + describe(),
        () -> LiveProcesses.remove(this),
        () -> {
          if (timer != null) {
            timer.dispose();
          }
        },
        () -> {
          if (stdout != null) {
            stdout.processExited(spec.drainTimeout());
          }
        },
        () -> {
          if (stderr != null) {
            stderr.processExited(spec.drainTimeout());
          }
        },
        () -> {
          if (feeder != null) {
            feeder.stop("the process has exited");
          }
        },
        () -> ended(owned ? 2 : 1)));
    child.onStopRequest(() -> stop().subscribe(null, e -> log.warn("could not stop {}: {}", describe(),
        e.toString())));
  }

  /** Hands the process over to a caller who owns it ({@code start()}): its end is logged at its exit. */
  void own() {
    owned = true;
  }

  /** Reports this process's start and, once it has ended, its end to {@code observer} as well as to the log. */
  void observe(ProcessObserver.Probe observer) {
    probe = observer;
    observer.started(child.pid());
  }

  /**
   * Logs the end, and reports it to the probe, once the process has exited and, unless owned, its operation has
   * released it.
   */
  private void ended(int signals) {
    ProcessObserver.Probe observer = probe;
    if (endSignals.addAndGet(signals) == 2 && (observer != null || log.isDebugEnabled())) {
      // An exit that failed (a remote host's connection broke) has no code.
      Integer code = child.exit().isCompletedExceptionally() ? null : child.exit().getNow(null);
      ChildUsage usage = child.usage();
      long written = feeder == null ? 0 : feeder.bytesWritten();
      if (log.isDebugEnabled()) {
        LogContext.run(context, () -> log.debug(
            "{} exited with {} after {} ms; read {} bytes of stdout and {} of stderr, wrote {} to stdin{}",
            describe(), code, (System.nanoTime() - startNanos) / 1_000_000, bytesRead(stdout), bytesRead(stderr),
            written, usage == null ? "" : "; used " + usage));
      }
      if (observer != null) {
        observer.ended(code == null ? Integer.MIN_VALUE : code, outcome(code), bytesRead(stdout), bytesRead(stderr),
            written);
      }
    }
  }

  private ProcessObserver.Outcome outcome(Integer code) {
    if (timedOutFlag) {
      return ProcessObserver.Outcome.TIMED_OUT;
    }
    if (inputError == null && stopRequested) {
      return ProcessObserver.Outcome.CANCELLED;
    }
    boolean ok = inputError == null && code != null && code == 0;
    return ok ? ProcessObserver.Outcome.OK : ProcessObserver.Outcome.FAILED;
  }

  private static long bytesRead(PipePublisher pipe) {
    return pipe == null ? 0 : pipe.bytesEmitted();
  }

  /** Returns the CPU time the reaped process used, or empty when the backend cannot tell. */
  java.util.Optional<dev.subprocess.ResourceUsage> resourceUsage() {
    ChildUsage usage = child.usage();
    return usage == null ? java.util.Optional.empty() : java.util.Optional.of(usage.toResourceUsage());
  }

  /** Returns the subscriber's Context the process was started for. */
  ContextView context() {
    return context;
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
  PipePublisher stdout() {
    return stdout;
  }

  /** Returns the stderr stream, or null when stderr is not piped. */
  PipePublisher stderr() {
    return stderr;
  }

  /**
   * Stops the process when one of its streams can no longer be read: its subscriber threw, or a read failed with
   * a JVM-fatal error. The subscriber itself has been told, where it could be.
   */
  private void streamFailed(Throwable error) {
    log.debug("a stream of {} failed with {}: stopping it", describe(), error.toString());
    streamFailure.tryEmitError(error);
    stop().subscribe(null, e -> log.warn("could not stop {}: {}", describe(), e.toString()));
  }

  /**
   * Fails with what broke one of the process's streams (its subscriber threw, or a read failed with a
   * JVM-fatal error); never completes otherwise.
   */
  Mono<Void> streamFailed() {
    return streamFailure.asMono();
  }

  /** Returns stdout as its owner reads it ({@code start()}, {@code execute}), or null when stdout is not piped. */
  SpooledStream ownedStdout() {
    return stdoutSpool;
  }

  /** Returns stderr as its owner reads it ({@code start()}, {@code execute}), or null when stderr is not piped. */
  SpooledStream ownedStderr() {
    return stderrSpool;
  }

  /**
   * Reads the owned output streams that have no subscriber into memory (bounded), so that they cannot block the
   * child while its owner reads another of its streams, writes its stdin or waits for it.
   */
  void spoolUnread() {
    if (stdoutSpool != null) {
      stdoutSpool.spool();
    }
    if (stderrSpool != null) {
      stderrSpool.spool();
    }
  }

  /** Returns the stdin feeder, or null when stdin is not piped. */
  StdinFeeder stdin() {
    return feeder;
  }

  /**
   * Starts writing the command's input into stdin (or closes stdin when there is none). An input that fails
   * stops the process, and the run fails with the input's error.
   */
  void feedInput() {
    StdinFeeder.Write input = feeder == null ? null : feeder.write(spec.input(), true, true);
    if (input != null) {
      input.result().subscribe(null, this::onInputError);
    }
  }

  private void onInputError(Throwable error) {
    inputError = error;
    log.debug("the input of {} failed: {}", describe(), error.toString());
    stop().subscribe();
  }

  /** Returns the input's error when it failed, or null. */
  Throwable inputError() {
    return inputError;
  }

  /** Completes when the time limit passed and the stop policy was started; never when there is no limit. */
  Mono<Void> timedOut() {
    return timedOut.asMono();
  }

  /** Returns the exception that reports this process's timeout, with what was captured of its output. */
  dev.subprocess.TimeoutExpiredException timeoutException(byte[] stdoutBytes, byte[] stderrBytes) {
    return new dev.subprocess.TimeoutExpiredException(spec.launch().argv(), spec.launch().workingDirectory(),
        spec.timeout(), stdoutBytes, stderrBytes);
  }

  /** Tells whether the process was stopped because it exceeded its time limit. */
  boolean hasTimedOut() {
    return timedOutFlag;
  }

  private void settleExit() {
    synchronized (outcomeLock) {
      exitSettled = true;
    }
  }

  private void onTimeout() {
    synchronized (outcomeLock) {
      if (!timedOutFlag && (exitSettled || child.exit().isDone())) {
        return;
      }
      timedOutFlag = true;
    }
    log.debug("{} timed out after {}", describe(), spec.timeout());
    timedOut.tryEmitEmpty();
    stop().subscribe();
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
      stopRequested = true;
      int signal = spec.killSignal();
      log.debug("stopping {} with {}", describe(), Signals.name(signal));
      send(signal);
      // An exit that fails (a remote host's connection broke) is the operation's error, not the stop's.
      Mono<Integer> exit = this.exit.onErrorResume(e -> Mono.empty());
      if (signal == Signals.SIGKILL) {
        return exit.then();
      }
      return exit.timeout(spec.killGrace(), Mono.defer(() -> {
        if (!child.exit().isDone()) {
          if (spec.killGrace().isZero()) {
            log.debug("sending SIGKILL to {}", describe());
          } else {
            LogContext.run(context, () -> log.warn("{} outlived {} by {} ms: sending SIGKILL", describe(),
                Signals.name(signal), spec.killGrace().toMillis()));
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
      if (timer != null) {
        timer.dispose();
      }
      if (feeder != null) {
        feeder.stop("the process was released");
      }
      if (stdoutSpool != null) {
        stdoutSpool.discard();
      }
      if (stderrSpool != null) {
        stderrSpool.discard();
      }
      child.release();
      ended(1);
    }
  }

  /**
   * Sends {@code signal} to the process and its descendants (its process group when it leads one), logging
   * instead of failing.
   */
  void send(int signal) {
    try {
      child.signal(signal, true);
    } catch (RuntimeException e) {
      log.warn("could not send {} to {}: {}", Signals.name(signal), describe(), e.toString());
    }
  }

  /**
   * Returns the error of a checked run of this process that ended with the non-zero {@code code}: the
   * backend's, when it stopped the process itself (its host was closed), otherwise a
   * {@code CalledProcessException}.
   */
  RuntimeException calledProcessError(int code, byte[] stdout, byte[] stderr) {
    LaunchSpec launch = spec.launch();
    CalledProcessException failure = new CalledProcessException(launch.argv(),
        launch.workingDirectory(), code, stdout, stderr);
    RuntimeException stopped = child.stoppedError(code, stdout, stderr, failure.getMessage());
    return stopped != null ? stopped : failure;
  }

  /** Names the process for messages and logs: its pid and argv, and its host when it runs on one. */
  String describe() {
    String host = spec.launch().host();
    return "process " + child.pid() + " " + spec.launch().argv() + (host == null ? "" : " on " + host);
  }
}

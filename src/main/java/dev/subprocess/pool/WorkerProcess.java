package dev.subprocess.pool;

import dev.subprocess.RunningProcess;
import dev.subprocess.internal.LogContext;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * One long-lived worker process: its stdin kept open behind a unicast sink, its stdout cut into responses by the
 * framing, its stderr drained into a tail and the DEBUG log. It answers one request at a time. The process lives
 * inside {@code Command.execute}, so that stopping it (disposing the execution) applies the command's stop policy
 * and every guarantee of the library (reaping, closed pipes, no child outliving the JVM) holds for it.
 */
final class WorkerProcess<Q, R> implements Worker<Q, R> {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  /** Why the pool let a worker go; all but IDLE and CLOSED count as a replacement. */
  enum Retirement { NONE, DIED, TIMED_OUT, RECYCLED, UNHEALTHY, BROKEN, IDLE, CLOSED }

  private final PoolSettings<Q, R> settings;
  private final Framing.Decoder<R> decoder;
  private final StderrTail tail;
  private final Consumer<WorkerProcess<Q, R>> onDeath;
  private final Sinks.Many<ByteBuffer> stdin = Sinks.many().unicast().onBackpressureBuffer();
  private final AtomicReference<Exchange<R>> inFlight = new AtomicReference<>();
  private final Sinks.One<Integer> exited = Sinks.one();
  private final AtomicInteger served = new AtomicInteger();
  private volatile RunningProcess process;
  private volatile Disposable life;
  private volatile boolean dead;
  private volatile boolean stopRequested;
  private volatile boolean retiring;
  private volatile WorkerException death;
  private volatile Retirement retirement = Retirement.NONE;
  private volatile long checkedNanos = System.nanoTime();

  private WorkerProcess(PoolSettings<Q, R> settings, Consumer<WorkerProcess<Q, R>> onDeath) {
    this.settings = settings;
    this.decoder = settings.newDecoder();
    this.tail = new StderrTail(settings.charset());
    this.onDeath = onDeath;
  }

  /** Starts a worker; emits it once its process runs, or fails as the command's start fails. */
  static <Q, R> Mono<WorkerProcess<Q, R>> start(PoolSettings<Q, R> settings, Consumer<WorkerProcess<Q, R>> onDeath) {
    return Mono.create(sink -> {
      WorkerProcess<Q, R> worker = new WorkerProcess<>(settings, onDeath);
      // Subscribed in an empty Context on purpose, whichever request caused the start: the worker serves many
      // subscribers, so none of their Context values (envFromContext) may become part of it.
      Disposable life = settings.command()
          .execute(process -> worker.body(process, sink))
          .subscribe(null, error -> worker.ended(error, sink), () -> worker.ended(null, sink));
      worker.life = life;
      if (worker.stopRequested) {
        life.dispose();
      }
    });
  }

  private Mono<Void> body(RunningProcess started, MonoSink<WorkerProcess<Q, R>> sink) {
    process = started;
    started.exitCode().subscribe(exited::tryEmitValue, error -> exited.tryEmitValue(Integer.MIN_VALUE));
    Mono<Void> in = started.writeStdin(stdin.asFlux()).onErrorResume(error -> Mono.empty());
    Mono<Void> out = started.stdout().doOnNext(this::onStdout).then();
    Mono<Void> err = started.stderr().doOnNext(chunk -> tail.add(chunk, log.isDebugEnabled() ? this::logStderr : null))
        .then();
    return Mono.when(in, out, err, started.exitCode().then())
        .doOnSubscribe(subscription -> {
          log.debug("worker {} {} started", started.pid(), settings.argv());
          sink.success(this);
        });
  }

  private void onStdout(ByteBuffer chunk) {
    if (dead) {
      return;   // stopped: what it still writes is nobody's answer
    }
    try {
      decoder.decode(chunk, this::onResponse);
    } catch (RuntimeException e) {
      // The framing cannot read what the worker wrote (a line past the limit, a frame too long): the worker's
      // state is unknown, so its request fails and it is stopped and replaced.
      Exchange<R> exchange = inFlight.get();
      WorkerException error = failure("wrote what its framing cannot read (" + e.getMessage() + ")"
          + (exchange != null ? " while answering a request" : ""), null, e);
      LogContext.run(exchange == null ? null : exchange.context, () -> log.warn("worker {} {} wrote what its"
          + " framing cannot read ({}): stopping it", pid(), settings.argv(), e.getMessage()));
      kill(Retirement.BROKEN, error);
    }
  }

  private void onResponse(R response) {
    Exchange<R> exchange = inFlight.getAndSet(null);
    if (exchange == null) {
      log.warn("worker {} {} wrote a response nobody asked for: stopping it (a worker must answer each request with"
          + " exactly one response)", pid(), settings.argv());
      kill(Retirement.BROKEN, null);
      return;
    }
    if (exchange.request) {
      served.incrementAndGet();
    }
    exchange.succeed(response, pid());
  }

  private void logStderr(String line) {
    Exchange<R> exchange = inFlight.get();
    LogContext.run(exchange == null ? null : exchange.context, () -> log.debug("worker {} stderr: {}", pid(), line));
  }

  /** Records the end of a worker that was not stopped by the pool: it died, and its request fails. */
  private void ended(Throwable error, MonoSink<WorkerProcess<Q, R>> sink) {
    if (process == null) {
      sink.error(error != null ? error : new IllegalStateException("the worker of " + settings.argv()
          + " ended before it started"));
      return;
    }
    String what;
    if (error != null) {
      what = "failed (" + error + ")";
    } else if (decoder.hasPartial()) {
      what = "closed its stdout in the middle of a response";
    } else {
      what = "closed its stdout";
    }
    OptionalInt code = process.poll();
    death = failure(what, code.isPresent() ? code.getAsInt() : null, error);
    dead = true;
    boolean expected = stopRequested || retiring;
    if (!expected) {
      if (retirement == Retirement.NONE) {
        retirement = Retirement.DIED;
      }
      onDeath.accept(this);
    }
    Exchange<R> exchange = inFlight.getAndSet(null);
    if (exchange != null) {
      WorkerException failed = failure(what + " while answering a request", death.returnCode().isPresent()
          ? death.returnCode().getAsInt() : null, error);
      LogContext.run(exchange.context, () -> log.warn("{}", failed.getMessage()));
      exchange.fail(failed);
    } else if (!expected) {
      log.warn("{}", death.getMessage());
    }
  }

  private WorkerException failure(String what, Integer code, Throwable cause) {
    return new WorkerException(settings.argv(), settings.workingDirectory(), pid(), what, code, tail.bytes(), cause);
  }

  /**
   * Writes {@code frame} and emits the response; fails with a {@link WorkerException} when the worker dies first,
   * or with a {@link dev.subprocess.TimeoutExpiredException} after the request timeout, which stops the worker.
   * Only an answered {@code request} counts toward {@link #requestsServed()}: a health check's does not.
   */
  Mono<R> exchange(ByteBuffer frame, ContextView context, boolean request) {
    return Mono.create(sink -> {
      Exchange<R> exchange = new Exchange<>(sink, context, request);
      if (!inFlight.compareAndSet(null, exchange)) {
        sink.error(new IllegalStateException("worker " + pid() + " is answering another request"));
        return;
      }
      if (dead) {
        if (inFlight.compareAndSet(exchange, null)) {
          sink.error(death != null ? death : failure("was stopped before it could take the request", null, null));
        }
        return;
      }
      Duration timeout = settings.requestTimeout();
      if (timeout != null) {
        exchange.timer = Schedulers.parallel().schedule(() -> timedOut(exchange, timeout), timeout.toNanos(),
            TimeUnit.NANOSECONDS);
      }
      synchronized (this) {
        // A worker whose stdin is gone is dying: ended(...) fails the exchange once its exit is known.
        stdin.tryEmitNext(frame);
      }
    });
  }

  private void timedOut(Exchange<R> exchange, Duration timeout) {
    if (inFlight.compareAndSet(exchange, null)) {
      WorkerTimeoutException error = new WorkerTimeoutException(settings.argv(), settings.workingDirectory(), pid(),
          timeout, tail.bytes());
      LogContext.run(exchange.context, () -> log.warn("worker {} {} did not answer within {} ms: stopping it",
          pid(), settings.argv(), timeout.toMillis()));
      kill(Retirement.TIMED_OUT, null);
      exchange.fail(error);
    }
  }

  /**
   * Stops the worker with the command's stop policy (the kill signal, then SIGKILL after the grace); fails the
   * request in flight, if any, with {@code error} (or a {@link WorkerException} when it is null).
   */
  void kill(Retirement why, Throwable error) {
    if (retirement == Retirement.NONE) {
      retirement = why;
    }
    stopRequested = true;
    dead = true;
    if (death == null) {
      death = failure("was stopped by the pool (" + why.name().toLowerCase(java.util.Locale.ROOT) + ")", null, null);
    }
    Exchange<R> exchange = inFlight.getAndSet(null);
    if (exchange != null) {
      exchange.fail(error != null ? error : death);
    }
    Disposable running = life;
    if (running != null) {
      running.dispose();
    }
  }

  /**
   * Lets the worker go: closes its stdin, waits up to {@code grace} for it to exit, then stops it with the stop
   * policy. Completes once it has exited.
   */
  Mono<Void> retire(Duration grace) {
    return Mono.defer(() -> {
      if (stopRequested) {
        return exited.asMono().then();
      }
      retiring = true;
      synchronized (this) {
        stdin.tryEmitComplete();
      }
      return exited.asMono()
          .timeout(grace, Mono.defer(() -> {
            kill(Retirement.CLOSED, null);
            return exited.asMono();
          }))
          .then();
    });
  }

  /** Stops the worker with the stop policy at once; completes once it has exited. */
  Mono<Void> stop(Retirement why) {
    return Mono.defer(() -> {
      kill(why, null);
      return exited.asMono().then();
    });
  }

  /** Completes once the worker's process has exited. */
  Mono<Void> exited() {
    return exited.asMono().then();
  }

  /** Returns how the worker died or was stopped, or null while it runs. */
  WorkerException deathCause() {
    return death;
  }

  boolean isDead() {
    return dead;
  }

  boolean isBusy() {
    return inFlight.get() != null;
  }

  Retirement retirement() {
    return retirement;
  }

  void retireFor(Retirement why) {
    if (retirement == Retirement.NONE) {
      retirement = why;
    }
  }

  boolean healthCheckDue(Duration interval) {
    return System.nanoTime() - checkedNanos >= interval.toNanos();
  }

  void healthChecked() {
    checkedNanos = System.nanoTime();
  }

  @Override
  public long pid() {
    RunningProcess p = process;
    return p == null ? -1 : p.pid();
  }

  @Override
  public int requestsServed() {
    return served.get();
  }

  @Override
  public Mono<R> send(Q request) {
    return Mono.deferContextual(context -> exchange(settings.encode(request), context, false));
  }

  @Override
  public String toString() {
    return "Worker[" + pid() + " " + settings.argv() + "]";
  }

  /**
   * One request in flight: where its response goes, the subscriber's Context, its timer, and whether it is a
   * submitted request (or a health check's).
   */
  private static final class Exchange<R> {
    final MonoSink<R> sink;
    final ContextView context;
    final boolean request;
    final long startNanos = System.nanoTime();
    volatile Disposable timer;

    Exchange(MonoSink<R> sink, ContextView context, boolean request) {
      this.sink = sink;
      this.context = context;
      this.request = request;
    }

    void succeed(R response, long pid) {
      cancelTimer();
      if (log.isDebugEnabled()) {
        LogContext.run(context, () -> log.debug("worker {} answered in {} us", pid,
            (System.nanoTime() - startNanos) / 1000));
      }
      sink.success(response);
    }

    void fail(Throwable error) {
      cancelTimer();
      sink.error(error);
    }

    private void cancelTimer() {
      Disposable t = timer;
      if (t != null) {
        t.dispose();
      }
    }
  }
}

package dev.subprocess.pool;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.pool.InstrumentedPool;
import reactor.pool.PoolAcquirePendingLimitException;
import reactor.pool.PoolBuilder;
import reactor.pool.PoolShutdownException;
import reactor.pool.PooledRef;
import reactor.pool.PooledRefMetadata;
import reactor.util.context.ContextView;

/**
 * The pool behind {@link WorkerPool}, on reactor-pool: the only class that touches it, so that nothing else of the
 * library loads the optional dependency. reactor-pool sizes the pool, queues the requests waiting for a worker
 * (up to the pending limit), evicts dead and idle workers and destroys them; this class adds what is particular
 * to processes: one request per worker at a time, replacement after a timeout or a death, the breaker that stops
 * restarting a command whose workers die at once, recycling after {@code maxRequestsPerWorker}, the health check
 * and the orderly close.
 */
final class PoolCore<Q, R> {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  private final PoolSettings<Q, R> settings;
  private final InstrumentedPool<WorkerProcess<Q, R>> pool;
  private final Set<WorkerProcess<Q, R>> workers = ConcurrentHashMap.newKeySet();
  /** One entry per worker being started, emptied once it has started (and joined {@link #workers}) or is gone. */
  private final Set<Sinks.Empty<Void>> starting = ConcurrentHashMap.newKeySet();
  private final AtomicLong served = new AtomicLong();
  private final AtomicLong replaced = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger stillborn = new AtomicInteger();
  private final Sinks.Empty<Void> drained = Sinks.empty();
  private final Mono<Void> closing;
  private volatile boolean closed;
  private volatile WorkerException broken;
  private volatile long brokenUntilNanos;

  PoolCore(PoolSettings<Q, R> settings) {
    this.settings = settings;
    PoolBuilder<WorkerProcess<Q, R>, ?> builder = PoolBuilder.from(Mono.defer(this::allocate))
        .sizeBetween(settings.minWorkers(), settings.maxWorkers())
        .maxPendingAcquire(settings.pendingLimit())
        // The worker released last takes the next request: one request at a time keeps talking to the same warm
        // process, and the workers a burst needed fall idle, to be evicted.
        .idleResourceReuseMruOrder()
        .evictionPredicate(this::evict)
        .destroyHandler(this::destroy);
    Duration idle = settings.idleTimeout();
    builder = idle == null ? builder.evictInBackgroundDisabled()
        : builder.evictInBackground(idle.dividedBy(2).isZero() ? idle : idle.dividedBy(2));
    this.pool = builder.buildPool();
    this.closing = Mono.defer(this::shutdown).cache();
  }

  int maxWorkers() {
    return settings.maxWorkers();
  }

  Mono<Integer> warmup() {
    return pool.warmup();
  }

  Mono<R> submit(Q request) {
    Objects.requireNonNull(request, "request");
    return Mono.deferContextual(context -> {
      if (closed) {
        return Mono.error(closedError());
      }
      WorkerException open = openBreaker();
      if (open != null) {
        return Mono.error(open);
      }
      ByteBuffer frame = settings.encode(request);
      return acquire(0)
          .onErrorMap(PoolAcquirePendingLimitException.class, this::pendingLimitError)
          .onErrorMap(PoolShutdownException.class, e -> closedError())
          // A request that waited for a worker while the pool closed fails: only those in flight get the grace.
          .flatMap(ref -> closed ? ref.release().then(Mono.error(closedError())) : exchange(ref, frame, context));
    });
  }

  private Mono<WorkerProcess<Q, R>> allocate() {
    if (closed) {
      return Mono.error(closedError());
    }
    WorkerException open = openBreaker();
    if (open != null) {
      return Mono.error(open);
    }
    Sinks.Empty<Void> started = Sinks.empty();
    starting.add(started);
    return WorkerProcess.start(settings, this::died).flatMap(worker -> {
      workers.add(worker);
      if (closed) {
        // The pool closed while this worker started: its close could not see it, so it goes at once, and the
        // close waits for it (see shutdown).
        return worker.stop(WorkerProcess.Retirement.CLOSED)
            .doFinally(signal -> workers.remove(worker))
            .then(Mono.error(closedError()));
      }
      return Mono.just(worker);
    }).doFinally(signal -> {
      starting.remove(started);
      started.tryEmitEmpty();
    });
  }

  private WorkerException openBreaker() {
    WorkerException b = broken;
    if (b != null && System.nanoTime() - brokenUntilNanos < 0) {
      return b;
    }
    return null;
  }

  /** Counts the workers that die before answering anything; enough of them in a row open the breaker. */
  private void died(WorkerProcess<Q, R> worker) {
    if (worker.requestsServed() > 0) {
      stillborn.set(0);
      return;
    }
    int row = stillborn.incrementAndGet();
    if (row >= settings.startFailureLimit()) {
      WorkerException last = worker.deathCause();
      broken = new WorkerException(settings.argv(), settings.workingDirectory(), worker.pid(),
          "died before answering any request, as did the " + (row - 1) + " workers started before it: the pool"
              + " starts no worker and fails its requests for " + settings.restartDelay().toMillis() + " ms",
          last == null || !last.returnCode().isPresent() ? null : last.returnCode().getAsInt(),
          last == null ? null : last.stderr(), last);
      brokenUntilNanos = System.nanoTime() + settings.restartDelay().toNanos();
      log.error("{}", broken.getMessage());
    }
  }

  private Mono<PooledRef<WorkerProcess<Q, R>>> acquire(int attempt) {
    // reactor-pool's acquire() queues its borrower again on each request(n) it receives, and a request that
    // reaches it after the delivery (flatMap replenishing its inners does that) would queue a second borrower,
    // which then takes the next released worker and drops it: so exactly one request ever reaches it.
    Mono<PooledRef<WorkerProcess<Q, R>>> acquired = Flux.from(pool.acquire()).take(1, true).next();
    if (settings.healthCheck() == null) {
      return acquired;
    }
    return acquired.flatMap(ref -> {
      WorkerProcess<Q, R> worker = ref.poolable();
      if (!worker.healthCheckDue(settings.healthCheckInterval())) {
        return Mono.just(ref);
      }
      return Mono.from(settings.healthCheck().apply(worker))
          .defaultIfEmpty(false)
          .onErrorResume(error -> {
            log.warn("worker {} {} failed its health check: {}", worker.pid(), settings.argv(), error.toString());
            return Mono.just(false);
          })
          .doOnCancel(() -> abandonCheck(ref, worker))
          .flatMap(healthy -> {
            if (healthy) {
              worker.healthChecked();
              return Mono.just(ref);
            }
            log.warn("worker {} {} is unhealthy: replacing it", worker.pid(), settings.argv());
            worker.kill(WorkerProcess.Retirement.UNHEALTHY, null);
            Mono<Void> gone = ref.invalidate();
            return attempt < settings.maxWorkers()
                ? gone.then(acquire(attempt + 1))
                : gone.then(Mono.error(new IllegalStateException("no worker of " + settings.argv()
                    + " passed its health check after " + (attempt + 1) + " tries")));
          });
    });
  }

  /**
   * Gives back the worker of a request cancelled during its health check: as it is when the check sent nothing
   * to it, or stopped when the check's own request is still in flight, so that its answer reaches no one else.
   */
  private void abandonCheck(PooledRef<WorkerProcess<Q, R>> ref, WorkerProcess<Q, R> worker) {
    Mono<Void> back;
    if (worker.isBusy()) {
      worker.kill(WorkerProcess.Retirement.UNHEALTHY, null);
      back = ref.invalidate();
    } else {
      back = ref.release();
    }
    back.subscribe(null, error -> log.debug("could not return worker {}: {}", worker.pid(), error.toString()));
  }

  private Mono<R> exchange(PooledRef<WorkerProcess<Q, R>> ref, ByteBuffer frame, ContextView context) {
    WorkerProcess<Q, R> worker = ref.poolable();
    inFlight.incrementAndGet();
    Sinks.One<R> result = Sinks.one();
    worker.exchange(frame, context, true).subscribe(
        response -> {
          served.incrementAndGet();
          stillborn.set(0);
          settle(ref, worker);
          result.tryEmitValue(response);
        },
        error -> {
          settle(ref, worker);
          result.tryEmitError(error);
        });
    return result.asMono();
  }

  /** Gives the worker back after a request, or lets it go when it is done for. */
  private void settle(PooledRef<WorkerProcess<Q, R>> ref, WorkerProcess<Q, R> worker) {
    int max = settings.maxRequestsPerWorker();
    if (!worker.isDead() && max > 0 && worker.requestsServed() >= max) {
      worker.retireFor(WorkerProcess.Retirement.RECYCLED);
    }
    Mono<Void> back = worker.isDead() || worker.retirement() != WorkerProcess.Retirement.NONE
        ? ref.invalidate() : ref.release();
    back.subscribe(null, error -> log.debug("could not return worker {}: {}", worker.pid(), error.toString()));
    if (inFlight.decrementAndGet() == 0 && closed) {
      drained.tryEmitEmpty();
    }
  }

  private boolean evict(WorkerProcess<Q, R> worker, PooledRefMetadata metadata) {
    if (worker.isDead()) {
      worker.retireFor(WorkerProcess.Retirement.DIED);
      return true;
    }
    Duration idle = settings.idleTimeout();
    if (idle != null && !worker.isBusy() && metadata.idleTime() >= idle.toMillis()) {
      worker.retireFor(WorkerProcess.Retirement.IDLE);
      return true;
    }
    return false;
  }

  private Mono<Void> destroy(WorkerProcess<Q, R> worker) {
    WorkerProcess.Retirement why = worker.retirement();
    if (!closed && why != WorkerProcess.Retirement.IDLE && why != WorkerProcess.Retirement.CLOSED) {
      replaced.incrementAndGet();
    }
    log.debug("letting worker {} {} go ({})", worker.pid(), settings.argv(), why);
    Mono<Void> gone = worker.isDead() ? worker.exited() : worker.retire(settings.closeGrace());
    return gone.doFinally(signal -> workers.remove(worker));
  }

  PoolMetrics metrics() {
    InstrumentedPool.PoolMetrics m = pool.metrics();
    return new PoolMetrics(m.allocatedSize(), m.idleSize(), m.acquiredSize(), m.pendingAcquireSize(), served.get(),
        replaced.get());
  }

  boolean isClosed() {
    return closed;
  }

  Mono<Void> close() {
    return closing;
  }

  private Mono<Void> shutdown() {
    closed = true;
    Duration grace = settings.closeGrace();
    Mono<Void> requestsDone = inFlight.get() == 0 ? Mono.empty() : drained.asMono();
    return requestsDone
        .timeout(grace, Mono.fromRunnable(() -> {
          for (WorkerProcess<Q, R> worker : workers) {
            if (worker.isBusy()) {
              worker.kill(WorkerProcess.Retirement.CLOSED, new WorkerException(settings.argv(),
                  settings.workingDirectory(), worker.pid(), "was stopped because the pool closed and the request"
                  + " was not answered within the close grace of " + grace.toMillis() + " ms", null, null, null));
            }
          }
        }))
        .then(pool.disposeLater().onErrorResume(error -> Mono.empty()))
        // A worker still starting is either in the workers retired below once it has started, or stopped by
        // allocate(), which saw the pool closed: wait for each, so that the close completes after it is gone.
        .then(Flux.defer(() -> Flux.fromIterable(new ArrayList<>(starting))).flatMap(Sinks.Empty::asMono).then())
        .then(Flux.defer(() -> {
          List<WorkerProcess<Q, R>> left = new ArrayList<>(workers);
          return Flux.fromIterable(left).flatMap(worker -> worker.retire(grace));
        }).then())
        .doFinally(signal -> log.debug("the pool of {} is closed: {}", settings.argv(), metrics()));
  }

  private RejectedExecutionException pendingLimitError(Throwable cause) {
    RejectedExecutionException e = new RejectedExecutionException("the worker pool of " + settings.argv()
        + " refuses the request: " + settings.pendingLimit() + " requests already wait for one of its "
        + settings.maxWorkers() + " workers (the pending limit). Submit with backpressure (map, mapUnordered),"
        + " add workers, or raise pendingLimit.");
    e.initCause(cause);
    return e;
  }

  private IllegalStateException closedError() {
    return new IllegalStateException("the worker pool of " + settings.argv() + " is closed: it takes no request");
  }
}

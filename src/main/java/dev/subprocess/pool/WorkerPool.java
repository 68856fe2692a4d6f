package dev.subprocess.pool;

import dev.subprocess.Command;
import dev.subprocess.Redirect;
import dev.subprocess.TimeoutExpiredException;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Keeps long-lived worker processes started from one {@link Command} and hands each request to a free one:
 * Python's {@code multiprocessing.Pool} for external programs. A request is written to the worker's stdin through
 * the pool's {@link Framing}; the worker's next response on stdout is the answer. Each worker answers one request
 * at a time; the pool starts workers as requests need them, between {@code minWorkers} and {@code maxWorkers}.
 *
 * <ul>
 *   <li>{@link #submit} sends one request ({@code apply_async}); {@link #map} streams requests and emits the
 *       answers in request order ({@code imap}), {@link #mapUnordered} as they come ({@code imap_unordered}). Both
 *       keep at most {@code maxWorkers} requests in flight and ask for more requests only as answers are
 *       consumed, so a slow consumer stops the submissions.
 *   <li>A request that waits for a worker waits in a queue bounded by the {@linkplain Builder#pendingLimit pending
 *       limit}; beyond it {@code submit} fails at once with {@link java.util.concurrent.RejectedExecutionException}.
 *   <li>A request not answered within the {@linkplain Builder#requestTimeout request timeout} fails with
 *       {@link TimeoutExpiredException}; its worker, whose state is unknown, is stopped with the command's stop
 *       policy and replaced. A worker that dies fails only its request in flight, with a {@link WorkerException}
 *       naming its pid, return code and stderr tail, and is replaced. When {@code startFailureLimit} workers in a
 *       row die before answering anything, the command is taken as broken: the pool fails its requests with that
 *       error, without starting workers, for the {@linkplain Builder#restartDelay restart delay}.
 *   <li>Each worker's stderr is read all the time (never blocking the worker), logged at DEBUG by the logger
 *       {@code dev.subprocess.pool.WorkerPool} with the worker's pid, and its tail kept for error messages. The
 *       pool logs each request in the subscriber's Context, so an MDC or trace id restored by context-propagation
 *       is there.
 *   <li>{@link #close()} stops taking requests, lets those in flight finish within the close grace, closes every
 *       worker's stdin, and stops the workers still running after another grace with the stop policy. No worker
 *       outlives the pool, and none outlives the JVM.
 * </ul>
 *
 * <p>The workers' stdin, stdout and stderr are always pipes, whatever the command says; the rest of the command
 * (environment, working directory, encoding, stop policy, new session) applies to every worker. A command
 * {@code timeout} limits each worker's whole life. {@link Command#envFromContext envFromContext} does not apply: a
 * worker outlives the request that started it and answers the requests of many subscribers, so the pool starts
 * workers outside any subscriber's Context and those variables are left unset. Set what every worker needs with
 * {@link Command#env(String, String) env}, and send what belongs to one request in the request. The pooling itself is reactor-pool's: the application adds
 * {@code io.projectreactor.addons:reactor-pool} (an optional dependency of this library).
 *
 * <pre>{@code
 * try (WorkerPool<String, String> pool = WorkerPool.builder(Command.of("sed", "-u", "s/^/ok:/"), Framing.lines())
 *     .maxWorkers(4)
 *     .requestTimeout(Duration.ofSeconds(5))
 *     .build()) {
 *   String one = pool.submit("a").block();                             // "ok:a"
 *   List<String> all = pool.map(Flux.just("b", "c")).collectList().block(); // ["ok:b", "ok:c"]
 * }
 * }</pre>
 *
 * @param <Q> the type of the requests
 * @param <R> the type of the responses
 */
public final class WorkerPool<Q, R> implements AutoCloseable {
  private final PoolCore<Q, R> core;

  private WorkerPool(PoolCore<Q, R> core) {
    this.core = core;
  }

  /**
   * Returns a builder of a pool of workers that run {@code command} and speak {@code framing}.
   *
   * @param <Q> the type of the requests
   * @param <R> the type of the responses
   * @param command the command each worker runs; its three streams become pipes
   * @param framing how requests and responses are cut on the workers' stdin and stdout
   * @return a builder with one to as many workers as this machine has processors, and no request timeout
   * @throws IllegalStateException if reactor-pool is not on the class path or module path
   */
  public static <Q, R> Builder<Q, R> builder(Command command, Framing<Q, R> framing) {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(framing, "framing");
    requireReactorPool();
    return new Builder<>(command, framing);
  }

  private static void requireReactorPool() {
    try {
      Class.forName("reactor.pool.PoolBuilder", false, WorkerPool.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new IllegalStateException("WorkerPool needs reactor-pool: add io.projectreactor.addons:reactor-pool"
          + " (1.1.x, for reactor-core 3.7) to the application's dependencies (an optional dependency of"
          + " reactor-subprocess), and, on the module path, requires reactor.pool", e);
    }
  }

  /**
   * Sends {@code request} to a free worker and emits its response: Python's {@code apply_async}. The request
   * waits for a worker when all are busy (see the pending limit). Cancelling the subscription does not take a
   * request back from its worker: the worker finishes it, and its answer is dropped.
   *
   * @param request the request; the framing encodes it at subscription, and may refuse it
   * @return a cold {@code Mono} of the response, which fails with {@link WorkerException},
   *     {@link TimeoutExpiredException}, {@link java.util.concurrent.RejectedExecutionException} when too many
   *     requests wait, {@link IllegalArgumentException} when the framing refuses the request, or
   *     {@link IllegalStateException} once the pool is closed
   */
  public Mono<R> submit(Q request) {
    return core.submit(request);
  }

  /**
   * Sends every request of {@code requests} to the workers and emits the responses in the order of the requests:
   * Python's {@code Pool.imap}. At most {@code maxWorkers} requests are in flight, and the next request is taken
   * from {@code requests} only when the subscriber has consumed an answer, so a slow subscriber stops the
   * submissions. The first failed request fails the {@code Flux}; cancel it to stop sending requests.
   *
   * @param requests the requests, consumed with backpressure
   * @return a {@code Flux} of the responses, in request order
   */
  public Flux<R> map(Publisher<? extends Q> requests) {
    Objects.requireNonNull(requests, "requests");
    return Flux.from(requests).flatMapSequential(this::submit, core.maxWorkers(), 1);
  }

  /**
   * Sends every request of {@code requests} to the workers and emits the responses as they arrive: Python's
   * {@code Pool.imap_unordered}, with the backpressure of {@link #map}.
   *
   * @param requests the requests, consumed with backpressure
   * @return a {@code Flux} of the responses, in the order they were answered
   */
  public Flux<R> mapUnordered(Publisher<? extends Q> requests) {
    Objects.requireNonNull(requests, "requests");
    return Flux.from(requests).flatMap(this::submit, core.maxWorkers(), 1);
  }

  /**
   * Returns what the pool holds now and what it has done so far.
   *
   * @return the workers alive, idle and busy, the requests pending and served, the workers replaced
   */
  public PoolMetrics metrics() {
    return core.metrics();
  }

  /**
   * Tells whether {@link #close()} or {@link #closeLater()} was called.
   *
   * @return true once the pool takes no more requests
   */
  public boolean isClosed() {
    return core.isClosed();
  }

  /**
   * Closes the pool, as {@link #close()} does, without blocking: the returned {@code Mono} completes once every
   * worker has exited. Subscribing again returns the same outcome.
   *
   * @return a {@code Mono} that completes when the pool is closed and its workers are gone
   */
  public Mono<Void> closeLater() {
    return core.close();
  }

  /**
   * Closes the pool and waits until its workers are gone: new requests are refused, requests in flight get the
   * close grace to finish (those still running then fail with {@link WorkerException}), every worker's stdin is
   * closed so that it can exit by itself, and a worker still running one more grace later is stopped with the
   * command's stop policy. Requests still waiting for a worker fail. Call {@link #closeLater()} from a
   * non-blocking thread instead.
   */
  @Override
  public void close() {
    core.close().block();
  }

  /**
   * Configures a {@link WorkerPool}: its size, limits, timeouts, health check and close grace.
   *
   * <pre>{@code
   * WorkerPool<byte[], byte[]> pool = WorkerPool.builder(Command.of("my-model-server"), Framing.lengthPrefixed())
   *     .minWorkers(2)
   *     .maxWorkers(8)
   *     .pendingLimit(1000)
   *     .requestTimeout(Duration.ofSeconds(30))
   *     .maxRequestsPerWorker(10_000)
   *     .idleTimeout(Duration.ofMinutes(5))
   *     .build();
   * }</pre>
   *
   * @param <Q> the type of the requests
   * @param <R> the type of the responses
   */
  public static final class Builder<Q, R> {
    private final Command command;
    private final Framing<Q, R> framing;
    private int minWorkers;
    private int maxWorkers = Math.max(1, Runtime.getRuntime().availableProcessors());
    private int pendingLimit = 1024;
    private Duration requestTimeout;
    private int maxRequestsPerWorker;
    private Duration idleTimeout;
    private Function<? super Worker<Q, R>, ? extends Publisher<Boolean>> healthCheck;
    private Duration healthCheckInterval;
    private Duration closeGrace = Duration.ofSeconds(5);
    private int startFailureLimit = 3;
    private Duration restartDelay = Duration.ofSeconds(10);
    private int maxLineLength;

    private Builder(Command command, Framing<Q, R> framing) {
      this.command = command;
      this.framing = framing;
    }

    /**
     * Sets how many workers the pool keeps at least (0 by default): they are started with the first request, or
     * at once by {@link #start()}.
     *
     * @param n the fewest workers, zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public Builder<Q, R> minWorkers(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("minWorkers must be zero or more, got " + n);
      }
      minWorkers = n;
      return this;
    }

    /**
     * Sets how many workers the pool runs at most (the number of processors by default): Python's
     * {@code processes}.
     *
     * @param n the most workers, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code n} is not positive
     */
    public Builder<Q, R> maxWorkers(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("maxWorkers must be positive, got " + n);
      }
      maxWorkers = n;
      return this;
    }

    /**
     * Sets how many requests may wait for a worker at once (1024 by default); one more fails with
     * {@link java.util.concurrent.RejectedExecutionException}.
     *
     * @param n the most waiting requests, zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public Builder<Q, R> pendingLimit(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("pendingLimit must be zero or more, got " + n);
      }
      pendingLimit = n;
      return this;
    }

    /**
     * Sets how long a worker may take to answer a request, from the moment the request is written (none by
     * default). Past it the request fails with {@link TimeoutExpiredException}, and the worker is stopped with the
     * command's stop policy and replaced.
     *
     * @param limit the longest time to an answer, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public Builder<Q, R> requestTimeout(Duration limit) {
      requestTimeout = positive(limit, "requestTimeout");
      return this;
    }

    /**
     * Sets after how many answers a worker is let go and replaced by a fresh one (unlimited by default): Python's
     * {@code maxtasksperchild}. Only submitted requests count, not the {@linkplain #healthCheck health check}'s.
     * The worker's stdin is closed, so that it can exit by itself.
     *
     * @param n the most requests one worker answers, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code n} is not positive
     */
    public Builder<Q, R> maxRequestsPerWorker(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("maxRequestsPerWorker must be positive, got " + n);
      }
      maxRequestsPerWorker = n;
      return this;
    }

    /**
     * Sets how long a worker may stay idle before it is let go (never by default). Eviction runs in the
     * background; the {@code minWorkers} are started again with the next request.
     *
     * @param limit the longest idle time, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public Builder<Q, R> idleTimeout(Duration limit) {
      idleTimeout = positive(limit, "idleTimeout");
      return this;
    }

    /**
     * Sets a health check: before a worker that was last checked (or started) at least {@code interval} ago
     * takes a request, {@code check} gets it and emits whether it is healthy, typically by
     * {@linkplain Worker#send sending} a ping. A worker whose check emits false, nothing or an error is stopped
     * and replaced, and the request goes to another worker. The check is bounded by the request timeout, if set.
     *
     * @param check the health check, given the worker it holds
     * @param interval how long a worker stays trusted after a check; zero checks before every request
     * @return this builder
     * @throws IllegalArgumentException if {@code interval} is negative
     */
    public Builder<Q, R> healthCheck(Function<? super Worker<Q, R>, ? extends Publisher<Boolean>> check,
        Duration interval) {
      Objects.requireNonNull(check, "check");
      Objects.requireNonNull(interval, "interval");
      if (interval.isNegative()) {
        throw new IllegalArgumentException("the health check interval must be zero or more, got " + interval);
      }
      healthCheck = check;
      healthCheckInterval = interval;
      return this;
    }

    /**
     * Sets the close grace (five seconds by default): how long {@link WorkerPool#close()} lets requests in flight
     * finish, and then how long it lets workers exit after their stdin closed, before it stops them. The same
     * grace applies to a worker let go after {@code maxRequestsPerWorker} or idleness.
     *
     * @param grace the grace, zero or more
     * @return this builder
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    public Builder<Q, R> closeGrace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("closeGrace must be zero or more, got " + grace);
      }
      closeGrace = grace;
      return this;
    }

    /**
     * Sets how many workers in a row may die before answering any request (3 by default) before the pool takes
     * the command as broken and fails its requests, without starting workers, for the restart delay.
     *
     * @param n the workers in a row, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code n} is not positive
     */
    public Builder<Q, R> startFailureLimit(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("startFailureLimit must be positive, got " + n);
      }
      startFailureLimit = n;
      return this;
    }

    /**
     * Sets how long a pool whose command looks broken (see {@link #startFailureLimit}) fails its requests before it
     * tries a worker again (ten seconds by default).
     *
     * @param delay the delay before the next try, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code delay} is not positive
     */
    public Builder<Q, R> restartDelay(Duration delay) {
      restartDelay = positive(delay, "restartDelay");
      return this;
    }

    /**
     * Sets the longest line a worker may write with {@link Framing#lines()}, in bytes without its {@code \n}
     * (nor a {@code \r} before it; 1 MiB by default). A worker whose line grows past it, such as one that writes without ever ending its line,
     * fails its request with a {@link WorkerException} naming the limit, and is stopped with the command's stop
     * policy and replaced; the bytes of a line are held only up to the limit. Other framings bound their frames
     * themselves ({@link Framing#lengthPrefixed(int)}).
     *
     * @param bytes the longest line, positive
     * @return this builder
     * @throws IllegalArgumentException if {@code bytes} is not positive
     */
    public Builder<Q, R> maxLineLength(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("maxLineLength must be positive, got " + bytes);
      }
      maxLineLength = bytes;
      return this;
    }

    /**
     * Builds the pool; its workers start with the first requests.
     *
     * @return the pool, open
     * @throws IllegalArgumentException if {@code minWorkers} is above {@code maxWorkers}, the framing cannot work
     *     in the command's encoding, or {@code maxLineLength} was set for a framing other than the line framing
     */
    public WorkerPool<Q, R> build() {
      if (minWorkers > maxWorkers) {
        throw new IllegalArgumentException("minWorkers (" + minWorkers + ") is above maxWorkers (" + maxWorkers
            + ")");
      }
      if (maxLineLength > 0 && !(framing instanceof LineFraming)) {
        throw new IllegalArgumentException("maxLineLength(" + maxLineLength + ") applies to Framing.lines() only:"
            + " bound the frames of another framing in the framing itself, as Framing.lengthPrefixed(int) does");
      }
      framing.newDecoder(command.encoding());
      Command piped = command.stdin(Redirect.PIPE).stdout(Redirect.PIPE).stderr(Redirect.PIPE);
      return new WorkerPool<>(new PoolCore<>(new PoolSettings<>(piped, framing, minWorkers, maxWorkers,
          pendingLimit, requestTimeout, maxRequestsPerWorker, idleTimeout, healthCheck, healthCheckInterval,
          closeGrace, startFailureLimit, restartDelay,
          maxLineLength > 0 ? maxLineLength : LineFraming.DEFAULT_MAX_LINE)));
    }

    /**
     * Builds the pool and starts its {@code minWorkers} at once; emits the pool once they run. When a worker cannot
     * start, the pool is closed and the {@code Mono} fails with the reason.
     *
     * @return a cold {@code Mono} of a new pool, warm, for each subscription
     */
    public Mono<WorkerPool<Q, R>> start() {
      return Mono.defer(() -> {
        WorkerPool<Q, R> pool = build();
        return pool.core.warmup()
            .thenReturn(pool)
            .onErrorResume(error -> pool.closeLater().then(Mono.error(error)));
      });
    }

    private static Duration positive(Duration d, String what) {
      Objects.requireNonNull(d, what);
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(what + " must be positive, got " + d);
      }
      return d;
    }
  }
}

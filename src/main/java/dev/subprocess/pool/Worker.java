package dev.subprocess.pool;

import reactor.core.publisher.Mono;

/**
 * One worker process of a {@link WorkerPool}, as its {@linkplain WorkerPool.Builder#healthCheck health check}
 * sees it while it holds the worker.
 *
 * <pre>{@code
 * builder.healthCheck(worker -> worker.send("ping").map("ok:ping"::equals), Duration.ofSeconds(30));
 * }</pre>
 *
 * @param <Q> the type of the requests
 * @param <R> the type of the responses
 */
public interface Worker<Q, R> {
  /**
   * Returns the worker's process id.
   *
   * @return the operating system's pid of the worker process
   */
  long pid();

  /**
   * Returns how many submitted requests the worker has answered; the health check's own requests are not counted,
   * as they do not count toward {@code maxRequestsPerWorker}.
   *
   * @return the submitted requests answered by this worker so far
   */
  int requestsServed();

  /**
   * Sends {@code request} to this worker and emits its response, with the pool's request timeout. Only for the
   * health check, which holds the worker while it runs: the pool never sends a request to it meanwhile.
   *
   * @param request the request to send
   * @return a {@code Mono} of the worker's response, failing as a submitted request would
   */
  Mono<R> send(Q request);
}

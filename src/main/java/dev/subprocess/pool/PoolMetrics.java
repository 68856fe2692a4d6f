package dev.subprocess.pool;

/**
 * Tells what a {@link WorkerPool} holds at one moment, and what it has done since it was built.
 *
 * <pre>{@code
 * PoolMetrics m = pool.metrics();
 * log.info("{} workers ({} busy), {} requests waiting, {} served, {} replaced",
 *     m.alive(), m.busy(), m.pending(), m.served(), m.replaced());
 * }</pre>
 *
 * @param alive the workers started and not yet stopped, busy or idle
 * @param idle the workers waiting for a request
 * @param busy the workers answering a request
 * @param pending the requests waiting for a worker
 * @param served the requests answered since the pool was built
 * @param replaced the workers stopped while the pool was open because they died, timed out, failed their health
 *     check or reached {@code maxRequestsPerWorker} (idle eviction is not counted)
 */
public record PoolMetrics(int alive, int idle, int busy, int pending, long served, long replaced) {}

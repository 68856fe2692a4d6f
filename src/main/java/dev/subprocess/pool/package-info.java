/**
 * Pools of long-lived worker processes that answer one request per line or frame: Python's
 * {@code multiprocessing.Pool} for external programs.
 *
 * <p>A {@link dev.subprocess.pool.WorkerPool} keeps warm workers started from a {@link dev.subprocess.Command}
 * (a model server, {@code git cat-file --batch}, {@code exiftool -stay_open}, a {@code sed -u} filter), writes
 * each request to a free worker's stdin through a {@link dev.subprocess.pool.Framing} and reads its answer from
 * the worker's stdout. The pooling is done by reactor-pool, an optional dependency that the application adds
 * ({@code io.projectreactor.addons:reactor-pool}); nothing outside this package loads it.
 *
 * <pre>{@code
 * try (WorkerPool<String, String> pool = WorkerPool.builder(Command.of("sed", "-u", "s/^/ok:/"), Framing.lines())
 *     .maxWorkers(4)
 *     .build()) {
 *   List<String> answers = pool.map(Flux.just("a", "b", "c")).collectList().block();
 * }
 * }</pre>
 */
package dev.subprocess.pool;

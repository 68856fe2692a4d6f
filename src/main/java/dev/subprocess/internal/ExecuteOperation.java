package dev.subprocess.internal;

import dev.subprocess.RunningProcess;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs a process for exactly as long as a body's publisher: {@code Command.execute}. The body gets the process
 * as a {@link RunningProcess}; when the body's publisher completes, fails or is cancelled, a process still
 * running is stopped with the stop policy and reaped. Piped output streams that the body does not read are held
 * (bounded) for a later subscriber once the body reads another stream or waits, as for {@code start()}, so they
 * never block the child. A command {@code timeout} cancels the body and fails the result with
 * {@code TimeoutExpiredException}.
 */
final class ExecuteOperation {
  private ExecuteOperation() {}

  static <T> Flux<T> execute(
      Mono<Execution> start, Function<? super RunningProcess, ? extends Publisher<T>> body) {
    return Flux.usingWhen(
        start,
        execution -> {
          StartedProcess process = new StartedProcess(execution);
          if (execution.spec().input() != null) {
            execution.feedInput();
          }
          Publisher<T> publisher = body.apply(process);
          if (publisher == null) {
            return Flux.error(new NullPointerException("the body of execute returned null"));
          }
          return Flux.from(publisher)
              .takeUntilOther(execution.timedOut())
              .concatWith(Mono.defer(() -> execution.hasTimedOut()
                  ? Mono.error(execution.timeoutException(null, null))
                  : Mono.empty()));
        },
        Execution::stopAndRelease,
        (execution, error) -> execution.stopAndRelease(),
        Execution::stopAndRelease);
  }
}

/**
 * Python's subprocess for Project Reactor: processes as {@code Mono}, their output as {@code Flux}.
 *
 * <p>{@code dev.subprocess} and the worker pools of {@code dev.subprocess.pool} are exported; the engine and the
 * backends stay internal. The pools need the optional {@code reactor.pool} module; nothing else loads it.
 */
module dev.subprocess {
  requires transitive reactor.core;
  requires transitive org.reactivestreams;
  requires org.slf4j;
  requires static context.propagation;
  requires static reactor.blockhound;
  requires static reactor.pool;

  exports dev.subprocess;
  exports dev.subprocess.pool;

  provides reactor.blockhound.integration.BlockHoundIntegration
      with dev.subprocess.internal.SubprocessBlockHoundIntegration;
}

/**
 * Python's subprocess for Project Reactor: processes as {@code Mono}, their output as {@code Flux}.
 *
 * <p>Only {@code dev.subprocess} is exported; the engine and the backends stay internal.
 */
module dev.subprocess {
  requires transitive reactor.core;
  requires transitive org.reactivestreams;
  requires org.slf4j;
  requires static context.propagation;
  requires static micrometer.observation;
  requires static micrometer.commons;

  exports dev.subprocess;
  exports dev.subprocess.micrometer;
}

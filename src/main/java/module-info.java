/**
 * Python's subprocess for Project Reactor: processes as {@code Mono}, their output as {@code Flux}.
 *
 * <p>Only {@code dev.subprocess} and {@code dev.subprocess.ssh} (which needs Apache MINA SSHD) are exported; the
 * engine and the backends stay internal.
 */
module dev.subprocess {
  requires transitive reactor.core;
  requires transitive org.reactivestreams;
  requires org.slf4j;
  requires static context.propagation;
  requires static org.apache.sshd.osgi;

  exports dev.subprocess;
  exports dev.subprocess.ssh;
}

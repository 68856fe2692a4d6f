/**
 * Runs operating-system processes the way Python's {@code subprocess} module does, re-thought for Project Reactor:
 * processes as {@code Mono}, their output as {@code Flux} with real backpressure, cancellation that stops and reaps.
 *
 * <p>Package {@link dev.subprocess} is the whole API, and its overview is the guide: the ways to run a command,
 * backpressure, threads, stopping and errors, Context propagation, the backends and how to grant native access.
 * Package {@link dev.subprocess.ssh} runs commands on other hosts over SSH
 * (with Apache MINA SSHD), {@link dev.subprocess.pool} keeps pools of long-lived worker processes, and {@link dev.subprocess.micrometer}
 * is the optional Micrometer integration. The engine and the backends stay internal.
 *
 * <p>Requires {@code reactor.core} (read transitively) and {@code org.slf4j}. Optional, when the application has them:
 * {@code context.propagation} (ThreadLocals restored on the library's threads), {@code micrometer.observation}
 * (observations), {@code org.apache.sshd.osgi} (SSH), {@code reactor.pool} (worker pools; nothing else loads it) and {@code reactor.blockhound} (the
 * BlockHound integration). On Linux with Java 22+ the linux backend needs native access for this module:
 * {@code --enable-native-access=dev.subprocess} on the module path.
 *
 * <pre>{@code
 * module com.example.builds {
 *   requires dev.subprocess;
 * }
 * }</pre>
 */
module dev.subprocess {
  requires transitive reactor.core;
  requires transitive org.reactivestreams;
  requires org.slf4j;
  requires static context.propagation;
  requires static reactor.blockhound;
  requires static reactor.pool;
  requires static micrometer.observation;
  requires static micrometer.commons;
  requires static org.apache.sshd.osgi;

  exports dev.subprocess;
  exports dev.subprocess.micrometer;
  exports dev.subprocess.pool;
  exports dev.subprocess.ssh;

  provides reactor.blockhound.integration.BlockHoundIntegration
      with dev.subprocess.internal.SubprocessBlockHoundIntegration;
}

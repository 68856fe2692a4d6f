package dev.subprocess;

/**
 * Names where a command runs: this machine ({@link #local()}, the default) or another host, such as an
 * {@code SshHost} of {@code dev.subprocess.ssh}. A command is bound to a host with {@link Command#on(Host)}, and
 * every way of running it (run, output, lines, start, execute, pipe, pipelines, the {@link Subprocess}
 * one-liners through {@link Command}) then works there with the same semantics.
 *
 * <pre>{@code
 * Host here = Host.local();
 * CompletedProcess done = Command.of("uname", "-n").on(here).captureOutput().run().block();
 * }</pre>
 *
 * <p>Hosts are made by this library only: {@link #local()} and the classes of its host packages.
 */
public interface Host {

  /**
   * Returns this machine, where commands run unless bound elsewhere.
   *
   * @return the local host, the same instance every time
   */
  static Host local() {
    return LocalHost.INSTANCE;
  }

  /**
   * Returns how error messages and logs name this host, such as {@code local} or {@code deploy@build-3:22}.
   *
   * @return the host's name for people
   */
  String name();
}

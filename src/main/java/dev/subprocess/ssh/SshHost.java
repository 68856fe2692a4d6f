package dev.subprocess.ssh;

import dev.subprocess.Host;
import dev.subprocess.internal.HostLaunchers;
import dev.subprocess.internal.ssh.SshConfig;
import dev.subprocess.internal.ssh.SshLauncher;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs commands on another machine over SSH: a {@link Host} for {@link dev.subprocess.Command#on(Host)}. The
 * remote process gets its argv quoted for the remote login shell (a POSIX shell), so arguments arrive byte for
 * byte; stdout and stderr are read from the channel only as subscribers request, so a slow consumer leaves the
 * remote process blocked on its own pipe; a timeout or a cancellation stops it with the SSH {@code signal}
 * request.
 *
 * <p>The server's host key must be in the known_hosts file ({@code ~/.ssh/known_hosts} unless another is
 * given): an unknown or changed key refuses the connection. Connections are opened on first use, each carries
 * up to {@link Builder#maxSessions(int)} processes at once (more processes open more connections), and a
 * connection without processes closes after {@link Builder#idleTimeout(Duration)}. {@link #close()} stops the
 * processes still running on the host and closes every connection once they have ended.
 *
 * <pre>{@code
 * SshHost build = SshHost.builder("build-3.example.com")
 *     .user("ci")
 *     .identity(Path.of("/etc/ci/id_ecdsa"))
 *     .build();
 * String kernel = Command.of("uname", "-r").on(build).output()
 *     .map(StandardCharsets.UTF_8::decode).map(CharSequence::toString).blockFirst();
 * build.close();
 * }</pre>
 *
 * <p>This class needs Apache MINA SSHD ({@code org.apache.sshd:sshd-core}) on the class or module path.
 */
public final class SshHost implements Host, AutoCloseable {
  private final SshConfig config;
  private final SshLauncher launcher;

  private SshHost(SshConfig config) {
    this.config = config;
    this.launcher = new SshLauncher(config);
    HostLaunchers.bind(this, launcher);
  }

  /**
   * Returns a builder for the host at {@code address}, port 22, logging in as the user running this JVM.
   *
   * @param address the host name or IP address of the SSH server
   * @return a builder with the defaults
   * @throws NullPointerException if {@code address} is null
   * @throws IllegalArgumentException if {@code address} is empty
   */
  public static Builder builder(String address) {
    Objects.requireNonNull(address, "address");
    if (address.isBlank()) {
      throw new IllegalArgumentException("the address of an SSH host is empty");
    }
    return new Builder(address);
  }

  /**
   * Returns {@code user@address:port}, the name error messages give this host.
   *
   * @return this host's name
   */
  @Override
  public String name() {
    return config.name();
  }

  /**
   * Closes every connection to this host, stopping the processes still running on it first: each is stopped with
   * its command's stop policy, as a cancellation stops it (the kill signal as the channel's {@code signal} request,
   * or {@code kill} on another channel where the server refuses that, then SIGKILL after the grace), and its run
   * ends as a process stopped by that signal does: {@link dev.subprocess.RunningProcess#exitCode()} emits
   * {@code -15} for SIGTERM, {@code run()} completes with that return code (or fails with
   * {@link dev.subprocess.CalledProcessException} under {@code check()}), {@code output()} and {@code lines()} fail.
   * A connection stays open until its processes have ended, so that SIGKILL still reaches them, then closes.
   * A closed host starts no more processes: every later start, and one subscribed before the close whose start
   * had not begun, fails at once with a {@link dev.subprocess.ProcessStartException} saying that the host was
   * closed; a start that was connecting already is stopped once it has started. Does not block.
   */
  @Override
  public void close() {
    launcher.close();
  }

  /** Returns {@code SshHost[user@address:port]}. */
  @Override
  public String toString() {
    return "SshHost[" + name() + "]";
  }

  /** Configures an {@link SshHost}: every setter returns this builder. */
  public static final class Builder {
    private final String address;
    private int port = 22;
    private String user = System.getProperty("user.name");
    private final List<Path> identityFiles = new ArrayList<>();
    private final List<KeyPair> keyPairs = new ArrayList<>();
    private Path knownHosts = Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    private int maxSessions = 10;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(30);

    private Builder(String address) {
      this.address = address;
    }

    /**
     * Sets the TCP port of the SSH server.
     *
     * @param port 1 to 65535; 22 by default
     * @return this builder
     * @throws IllegalArgumentException if {@code port} is out of range
     */
    public Builder port(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("an SSH port is 1 to 65535, not " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * Sets the user to log in as.
     *
     * @param user the remote user; the user running this JVM by default
     * @return this builder
     */
    public Builder user(String user) {
      this.user = Objects.requireNonNull(user, "user");
      return this;
    }

    /**
     * Adds a private key file offered for authentication, in OpenSSH or PEM format, not encrypted.
     *
     * @param privateKey the key file, such as {@code ~/.ssh/id_ecdsa}
     * @return this builder
     */
    public Builder identity(Path privateKey) {
      identityFiles.add(Objects.requireNonNull(privateKey, "privateKey"));
      return this;
    }

    /**
     * Adds a key pair offered for authentication.
     *
     * @param keyPair the user's key pair
     * @return this builder
     */
    public Builder identity(KeyPair keyPair) {
      keyPairs.add(Objects.requireNonNull(keyPair, "keyPair"));
      return this;
    }

    /**
     * Sets the known_hosts file that must hold the server's host key, in OpenSSH's format (hashed names too).
     *
     * @param file the file; {@code ~/.ssh/known_hosts} by default
     * @return this builder
     */
    public Builder knownHosts(Path file) {
      this.knownHosts = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Sets how many processes one connection carries at once; more processes open more connections. Match the
     * server's {@code MaxSessions} (OpenSSH: 10 by default).
     *
     * @param sessions at least 1; 10 by default
     * @return this builder
     * @throws IllegalArgumentException if {@code sessions} is less than 1
     */
    public Builder maxSessions(int sessions) {
      if (sessions < 1) {
        throw new IllegalArgumentException("maxSessions must be at least 1, not " + sessions);
      }
      this.maxSessions = sessions;
      return this;
    }

    /**
     * Sets how long a connection that carries no process stays open for the next one.
     *
     * @param timeout zero or more; 30 seconds by default
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public Builder idleTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("idleTimeout is negative: " + timeout);
      }
      this.idleTimeout = timeout;
      return this;
    }

    /**
     * Sets how long connecting, verifying the host key and authenticating may take together.
     *
     * @param timeout more than zero; 30 seconds by default
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public Builder connectTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("connectTimeout must be positive: " + timeout);
      }
      this.connectTimeout = timeout;
      return this;
    }

    /**
     * Returns the host. Nothing connects until a process starts.
     *
     * @return the configured host
     */
    public SshHost build() {
      return new SshHost(new SshConfig(address, port, user, List.copyOf(identityFiles), List.copyOf(keyPairs),
          knownHosts, maxSessions, idleTimeout, connectTimeout));
    }
  }
}

package dev.subprocess.testing;

import dev.subprocess.ssh.SshHost;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs a real OpenSSH server for the tests: {@code sshd} on 127.0.0.1 at a free port, with a host key and a
 * user key generated into a temporary directory, a known_hosts file holding the host key, logging in as the user
 * running the tests. One server per test JVM, started on first use and stopped when the JVM exits. Because the
 * server runs on this machine, tests can read the {@code /proc} of the remote processes.
 */
public final class SshServer {
  private static volatile SshServer instance;

  private final Path dir;
  private final int port;
  private final Process sshd;
  /** The user the tests log in as: a plain user with /bin/sh, made here when the tests run as root. */
  static final String TEST_USER = "subprocess-ssh";

  private final String user;

  private SshServer() throws IOException, InterruptedException {
    user = loginUser();
    dir = Files.createTempDirectory("sshd-fixture");
    // The server reads the keys as the user logging in.
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    keygen("host_key");
    keygen("user_key");
    keygen("other_key");
    keygen("forced_key");
    // The second key logs in with a forced command that runs the command asked for: a session OpenSSH refuses
    // to signal ("refusing to send signal ... to forced-command session"), as it refuses root's.
    Files.writeString(dir.resolve("authorized_keys"), Files.readString(dir.resolve("user_key.pub"))
        + "command=\"eval \\\"$SSH_ORIGINAL_COMMAND\\\"\" " + Files.readString(dir.resolve("forced_key.pub")));
    Files.setPosixFilePermissions(dir.resolve("authorized_keys"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    Files.createDirectories(Path.of("/run/sshd"));
    port = freePort();
    Files.writeString(dir.resolve("known_hosts"),
        "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("host_key.pub")));
    Files.writeString(dir.resolve("other_known_hosts"),
        "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("other_key.pub")));
    Files.writeString(dir.resolve("sshd_config"), String.join("\n",
        "Port " + port,
        "ListenAddress 127.0.0.1",
        "HostKey " + dir.resolve("host_key"),
        "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
        "PidFile none",
        "UsePAM no",
        "PermitRootLogin prohibit-password",
        "StrictModes no",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        "PrintMotd no",
        "MaxSessions 10",
        "MaxStartups 100",
        "LogLevel VERBOSE",
        ""));
    sshd = new ProcessBuilder(sshdPath(), "-D", "-e", "-f", dir.resolve("sshd_config").toString())
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("sshd.log").toFile())
        .start();
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "ssh-fixture-stop"));
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!accepts()) {
      if (!sshd.isAlive() || System.nanoTime() > deadline) {
        throw new IOException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
      }
      Thread.sleep(10);
    }
  }

  /**
   * Returns the user to log in as. As root, a plain user with {@code /bin/sh} as login shell (made once): root's
   * login would run root's shell profile and, without post-authentication privilege separation, OpenSSH refuses
   * the {@code signal} request for root. Otherwise the user running the tests.
   */
  private static String loginUser() throws IOException, InterruptedException {
    String me = System.getProperty("user.name");
    if (!"root".equals(me)) {
      return me;
    }
    Process id = new ProcessBuilder("id", "-u", TEST_USER).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (id.waitFor() != 0) {
      // Password '*': no password works, but the account is not locked (a locked one may not log in at all).
      Process add = new ProcessBuilder("useradd", "-M", "-d", "/tmp", "-s", "/bin/sh", "-p", "*", TEST_USER)
          .redirectErrorStream(true).start();
      String out = new String(add.getInputStream().readAllBytes());
      if (add.waitFor() != 0) {
        throw new IOException("cannot add the test user " + TEST_USER + ": " + out);
      }
    }
    Process unlock = new ProcessBuilder("usermod", "-p", "*", TEST_USER).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    unlock.waitFor();
    return TEST_USER;
  }

  /** Returns the server, starting it on first use. */
  public static SshServer get() {
    SshServer s = instance;
    if (s == null) {
      synchronized (SshServer.class) {
        s = instance;
        if (s == null) {
          try {
            s = new SshServer();
          } catch (IOException e) {
            throw new AssertionError("cannot start the test sshd", e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted starting the test sshd", e);
          }
          instance = s;
        }
      }
    }
    return s;
  }

  /** Returns the server if one was started in this JVM, or null. */
  static SshServer running() {
    return instance;
  }

  /** Tells whether {@code process} is the test server itself, which outlives every test by design. */
  static boolean isServer(ProcessHandle process) {
    SshServer s = instance;
    return s != null && s.sshd.pid() == process.pid();
  }

  /**
   * Returns a host builder for this server, with the user key and the known_hosts file holding its key, whose
   * connections close as soon as they carry no process: so that each test can prove its SSH client (threads,
   * the descriptors of its I/O group) is gone. Tests of connection sharing set their own idle timeout.
   */
  public SshHost.Builder host() {
    return SshHost.builder("127.0.0.1").port(port).user(user).identity(dir.resolve("user_key"))
        .knownHosts(dir.resolve("known_hosts")).idleTimeout(java.time.Duration.ZERO);
  }

  /**
   * Returns a host builder like {@link #host()} whose key logs in with a forced command (which runs the command
   * asked for): OpenSSH refuses the {@code signal} request for such sessions, so the library's fallback signals.
   */
  public SshHost.Builder forcedCommandHost() {
    return SshHost.builder("127.0.0.1").port(port).user(user).identity(dir.resolve("forced_key"))
        .knownHosts(dir.resolve("known_hosts")).idleTimeout(java.time.Duration.ZERO);
  }

  /** Returns the private key the server accepts. */
  public Path userKey() {
    return dir.resolve("user_key");
  }

  /** Returns the known_hosts file that holds this server's host key. */
  public Path knownHosts() {
    return dir.resolve("known_hosts");
  }

  /** Returns the user {@link #host()} logs in as. */
  public String user() {
    return user;
  }

  /** Returns the port the server listens on. */
  public int port() {
    return port;
  }

  /** Returns the file of a key the server does not accept. */
  public Path otherKey() {
    return dir.resolve("other_key");
  }

  /** Returns a known_hosts file that holds another key for this server's address, as after a man in the middle. */
  public Path wrongKnownHosts() {
    return dir.resolve("other_known_hosts");
  }

  /** Returns a known_hosts file in which this server is unknown. */
  public Path emptyKnownHosts() throws IOException {
    Path file = dir.resolve("empty_known_hosts");
    if (!Files.exists(file)) {
      Files.createFile(file);
    }
    return file;
  }

  /** Returns the per-connection processes of the server: one or two for each open connection. */
  public List<ProcessHandle> connections() {
    return sshd.toHandle().children().collect(Collectors.toList());
  }

  /** Returns the processes that remote commands run as: descendants of the server that are not sshd itself. */
  public List<ProcessHandle> remoteProcesses() {
    return sshd.toHandle().descendants()
        .filter(p -> !p.info().command().orElse("").endsWith("/sshd")
            && !p.info().command().orElse("").endsWith("/sshd-session"))
        .collect(Collectors.toList());
  }

  /** Returns the server's log so far. */
  public String log() {
    try {
      return Files.readString(dir.resolve("sshd.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops the server at the JVM's exit and removes its directory (keys, configuration, log). */
  private void stop() {
    sshd.descendants().forEach(ProcessHandle::destroyForcibly);
    sshd.destroyForcibly();
    try {
      sshd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
      try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    } catch (IOException | InterruptedException e) {
      // At the JVM's exit: what cannot be removed stays in the temporary directory.
    }
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void keygen(String name) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-C", name, "-f",
        dir.resolve(name).toString()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    byte[] out;
    try (java.io.InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    if (p.waitFor() != 0) {
      throw new IOException("ssh-keygen failed: " + new String(out));
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static String sshdPath() {
    for (String candidate : new String[] {"/usr/sbin/sshd", "/usr/bin/sshd", "/sbin/sshd"}) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new AssertionError("no sshd: install openssh-server (.ci/run does when it is missing)");
  }
}

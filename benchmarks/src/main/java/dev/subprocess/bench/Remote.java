package dev.subprocess.bench;

import static dev.subprocess.bench.Bench.BYTES;
import static dev.subprocess.bench.Bench.NATIVE;
import static dev.subprocess.bench.Bench.QUIET;

import dev.subprocess.Command;
import dev.subprocess.ssh.SshHost;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Remote processes against OpenSSH's own client, both talking to an OpenSSH server this benchmark starts on
 * 127.0.0.1 (generated keys, a free port): stdout throughput of a remote {@code head -c 256M /dev/zero} (seconds
 * per run; the floor is {@code ssh -T host 'head -c ...' > /dev/null}), and the cost of one remote {@code true}
 * over an open connection (the floor is {@code ssh} multiplexed over a ControlMaster connection). Runs as the user
 * {@code -Dbench.sshUser} names (the current user by default), whose login shell runs every remote command.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {NATIVE, QUIET})
public class Remote {
  private Path dir;
  private Process sshd;
  private int port;
  private SshHost host;
  private Command head;
  private Command nothing;
  private List<String> ssh;

  @Setup(Level.Trial)
  public void startServer() throws Exception {
    dir = Files.createTempDirectory("bench-sshd");
    run("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", dir.resolve("host_key").toString());
    run("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", dir.resolve("user_key").toString());
    Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
    // The server reads the keys as the user logging in, who may not be the one running the benchmark.
    Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir.resolve("authorized_keys"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    if (!Files.isDirectory(Path.of("/run/sshd"))) {
      try {
        Files.createDirectories(Path.of("/run/sshd")); // the privilege separation directory sshd wants as root
      } catch (IOException e) {
        // Not root: sshd does not need it then.
      }
    }
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Files.writeString(dir.resolve("known_hosts"),
        "[127.0.0.1]:" + port + " " + Files.readString(dir.resolve("host_key.pub")));
    Files.writeString(dir.resolve("sshd_config"), String.join("\n", "Port " + port, "ListenAddress 127.0.0.1",
        "HostKey " + dir.resolve("host_key"), "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
        "PidFile none", "UsePAM no", "PermitRootLogin prohibit-password", "StrictModes no",
        "PasswordAuthentication no", "MaxStartups 100", ""));
    sshd = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString())
        .redirectInput(new File("/dev/null")).redirectErrorStream(true)
        .redirectOutput(dir.resolve("sshd.log").toFile()).start();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!accepts()) {
      if (System.nanoTime() > deadline || !sshd.isAlive()) {
        throw new IOException("sshd did not start: " + Files.readString(dir.resolve("sshd.log")));
      }
      Thread.sleep(10);
    }
    // -Dbench.sshUser: log in as another user, such as one whose login shell reads no profile.
    String user = System.getProperty("bench.sshUser", System.getProperty("user.name"));
    host = SshHost.builder("127.0.0.1").port(port).user(user).identity(dir.resolve("user_key"))
        .knownHosts(dir.resolve("known_hosts")).idleTimeout(Duration.ofMinutes(10)).build();
    head = Command.of("head", "-c", Long.toString(BYTES), "/dev/zero").on(host);
    nothing = Command.of("true").on(host);
    ssh = List.of("ssh", "-T", "-p", Integer.toString(port), "-i", dir.resolve("user_key").toString(),
        "-o", "BatchMode=yes", "-o", "UserKnownHostsFile=" + dir.resolve("known_hosts"),
        "-o", "ControlPath=" + dir.resolve("cm"), user + "@127.0.0.1");
    // The ControlMaster the multiplexed client uses, kept open for the trial.
    List<String> master = new ArrayList<>(ssh);
    master.addAll(1, List.of("-o", "ControlMaster=yes", "-o", "ControlPersist=600", "-f", "-N"));
    // -f: backgrounds itself once authenticated; its output goes to a file, which the background copy keeps.
    int code = new ProcessBuilder(master).redirectInput(new File("/dev/null")).redirectErrorStream(true)
        .redirectOutput(dir.resolve("master.log").toFile()).start().waitFor();
    if (code != 0) {
      throw new IOException("the ssh ControlMaster failed: " + Files.readString(dir.resolve("master.log")));
    }
    nothing.run().block();
  }

  @TearDown(Level.Trial)
  public void stopServer() throws Exception {
    List<String> exit = new ArrayList<>(ssh);
    exit.addAll(1, List.of("-O", "exit"));
    new ProcessBuilder(exit).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
        .waitFor();
    host.close();
    sshd.descendants().forEach(ProcessHandle::destroyForcibly);
    sshd.destroyForcibly().waitFor();
  }

  /** 256 MiB of remote stdout through {@code output()}, counted. */
  @Benchmark
  public long stdout_ours() {
    return Bench.check(head.output().reduce(0L, (n, b) -> n + b.remaining()).block());
  }

  /** The floor: OpenSSH's client with its own connection, stdout to /dev/null. */
  @Benchmark
  public int stdout_opensshClient() throws Exception {
    List<String> argv = new ArrayList<>(ssh);
    argv.addAll(1, List.of("-o", "ControlMaster=no", "-o", "ControlPath=none"));
    argv.add("head -c " + BYTES + " /dev/zero");
    return (int) Bench.checkExit(new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start().waitFor());
  }

  /** One remote {@code true} over the open connection. */
  @Benchmark
  public int true_ours() {
    return (int) Bench.checkExit(nothing.run().block().returnCode());
  }

  /** The floor: {@code ssh host true} multiplexed over the ControlMaster connection. */
  @Benchmark
  public int true_opensshMultiplexed() throws Exception {
    List<String> argv = new ArrayList<>(ssh);
    argv.add("true");
    return (int) Bench.checkExit(new ProcessBuilder(argv).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start().waitFor());
  }

  private boolean accepts() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectInput(new File("/dev/null")).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", argv) + " failed: " + out);
    }
  }
}

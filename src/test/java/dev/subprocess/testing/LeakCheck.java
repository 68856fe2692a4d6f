package dev.subprocess.testing;

import dev.subprocess.internal.Engine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test that leaves behind a child process (live or zombie) or an open file descriptor, and a test class
 * that leaves behind a worker thread of the library (its one-per-JVM service threads and its watchdog process
 * with its pipe excepted). With the test SSH server running, a test also fails if it leaves a remote process there,
 * and a test class if it leaves a connection open or an SSH thread alive. Registered for every test class through
 * the service loader.
 *
 * <p>Processes and descriptors are released asynchronously after a publisher completes, so each check waits
 * (polling, up to {@link #PATIENCE_MILLIS}) for the leftovers to go before it fails.
 */
public final class LeakCheck implements BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  static final long PATIENCE_MILLIS = 30_000;
  private static final String LIBRARY_THREAD_PREFIX = "subprocess-";
  /** The prefix of Apache MINA SSHD's own threads, which the SSH launcher must not leave behind either. */
  private static final String SSHD_THREAD_PREFIX = "sshd-";
  /**
   * Apache MINA SSHD's one JVM-wide pool that flushes packets queued during a key exchange: a static cached
   * pool whose threads end after a minute idle, whatever the library does.
   */
  private static final String SSHD_KEX_FLUSHER = "sshd-kex-flusher-thread-";
  /** The library's service threads: one each per JVM, for good, whatever the number of processes. */
  private static final java.util.Set<String> SERVICE_THREADS = java.util.Set.of("subprocess-cleaner", "subprocess-epoll",
      "subprocess-watchdog");
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LeakCheck.class);

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NS).put("fds", openFds());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    List<ProcessHandle> children = awaitEmpty(LeakCheck::children);
    children.forEach(ProcessHandle::destroyForcibly);
    List<ProcessHandle> remote = awaitEmpty(LeakCheck::remoteProcesses);
    remote.forEach(ProcessHandle::destroyForcibly);
    @SuppressWarnings("unchecked")
    Map<Integer, String> before = context.getStore(NS).get("fds", Map.class);
    List<String> fds = awaitEmpty(() -> newFds(before));
    List<String> problems = new ArrayList<>();
    if (!children.isEmpty()) {
      problems.add("child processes left behind: " + children.stream()
          .map(p -> p.pid() + " " + p.info().commandLine().orElse("?") + (p.isAlive() ? "" : " (zombie)"))
          .collect(Collectors.joining(", ")));
    }
    if (!fds.isEmpty()) {
      problems.add("file descriptors left open: " + fds);
    }
    if (!remote.isEmpty()) {
      problems.add("remote processes left behind on the test SSH server: " + describe(remote));
    }
    if (!problems.isEmpty()) {
      throw new AssertionError(String.join("; ", problems));
    }
  }

  /** Returns the processes that remote commands left on the test SSH server, if it runs. */
  private static List<ProcessHandle> remoteProcesses() {
    SshServer server = SshServer.running();
    return server == null ? List.of() : server.remoteProcesses();
  }

  /** Returns the open connections (their server-side processes) of the test SSH server, if it runs. */
  private static List<ProcessHandle> sshConnections() {
    SshServer server = SshServer.running();
    return server == null ? List.of() : server.connections();
  }

  private static String describe(List<ProcessHandle> processes) {
    return processes.stream()
        .map(p -> p.pid() + " " + p.info().commandLine().orElse("?") + (p.isAlive() ? "" : " (zombie)"))
        .collect(Collectors.joining(", "));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<String> threads = awaitEmpty(LeakCheck::libraryThreads);
    if (!threads.isEmpty()) {
      throw new AssertionError("library threads still alive after " + PATIENCE_MILLIS + " ms: " + threads);
    }
    List<ProcessHandle> connections = awaitEmpty(LeakCheck::sshConnections);
    if (!connections.isEmpty()) {
      throw new AssertionError("SSH connections still open to the test server after " + PATIENCE_MILLIS
          + " ms (close the SshHost): " + describe(connections));
    }
  }

  /**
   * Returns the direct children of this JVM, zombies included, but for the library's watchdog process, which
   * lives as long as the JVM.
   */
  public static List<ProcessHandle> children() {
    long watchdog = Engine.watchdogPid();
    return ProcessHandle.current().children().filter(p -> p.pid() != watchdog && !SshServer.isServer(p))
        .collect(Collectors.toList());
  }

  /**
   * Returns this JVM's open descriptors, by number, with what each points to, but for this JVM's ends of the pipes
   * to and from the library's watchdog process: the one it reads lives as long as the JVM, the one it says "ready"
   * on is closed by the library's writer thread once it has, a moment after the watchdog started.
   */
  public static Map<Integer, String> openFds() {
    java.util.Set<String> watchdogPipes = watchdogPipes();
    Map<Integer, String> fds = new HashMap<>();
    try (Stream<Path> entries = Files.list(Path.of("/proc/self/fd"))) {
      entries.forEach(p -> {
        try {
          String target = Files.readSymbolicLink(p).toString();
          if (!watchdogPipes.contains(target)) {
            fds.put(Integer.parseInt(p.getFileName().toString()), target);
          }
        } catch (IOException e) {
          // The descriptor that listed the directory is gone by now.
        }
      });
    } catch (IOException e) {
      throw new AssertionError("cannot list /proc/self/fd", e);
    }
    return fds;
  }

  /**
   * Returns the pipes of the watchdog's stdin and stdout, such as {@code pipe:[1234]}; none without a watchdog. Its
   * stdout may be closed already, and is then left out.
   */
  private static java.util.Set<String> watchdogPipes() {
    long watchdog = Engine.watchdogPid();
    java.util.Set<String> pipes = new java.util.HashSet<>();
    if (watchdog < 0) {
      return pipes;
    }
    Path fds = Path.of("/proc", Long.toString(watchdog), "fd");
    try {
      pipes.add(Files.readSymbolicLink(fds.resolve("0")).toString());
    } catch (IOException e) {
      throw new AssertionError("the watchdog " + watchdog + " has no stdin", e);
    }
    try {
      pipes.add(Files.readSymbolicLink(fds.resolve("1")).toString());
    } catch (IOException e) {
      // It said "ready" and its stdout is closed: nothing of it is left in this JVM either.
    }
    return pipes;
  }

  /** Returns the names of the library's live threads. */
  public static List<String> libraryThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(name -> name.startsWith(LIBRARY_THREAD_PREFIX) && !SERVICE_THREADS.contains(name)
            || name.startsWith(SSHD_THREAD_PREFIX) && !name.startsWith(SSHD_KEX_FLUSHER))
        .sorted()
        .collect(Collectors.toList());
  }

  private static List<String> newFds(Map<Integer, String> before) {
    return openFds().entrySet().stream()
        .filter(e -> !e.getValue().equals(before.get(e.getKey())))
        .filter(e -> isOurKind(e.getValue()))
        .map(e -> e.getKey() + " -> " + e.getValue())
        .sorted()
        .collect(Collectors.toList());
  }

  /**
   * What the library opens: pipes, pidfds, /dev/null, pseudo-terminal masters (and slaves, which it must never
   * hold) and the files of redirects. Not what the JVM, Netty or the native backend's one epoll instance open for
   * good (jars, libraries, eventfds, timerfds, random devices).
   */
  private static boolean isOurKind(String target) {
    if (target.startsWith("pipe:") || target.equals("anon_inode:[pidfd]") || target.equals("/dev/null")
        || target.equals("/dev/ptmx") || target.startsWith("/dev/pts/")) {
      return true;
    }
    return target.startsWith("/") && !target.startsWith("/proc/") && !target.startsWith("/dev/")
        && !target.startsWith("/sys/") && !target.endsWith(".jar") && !target.endsWith(".so")
        && !target.endsWith("/modules") && !target.endsWith(".jsa") && !target.contains("/surefire")
        && !target.contains("/failsafe");
  }

  private static <T> List<T> awaitEmpty(Supplier<List<T>> probe) {
    long deadline = System.nanoTime() + PATIENCE_MILLIS * 1_000_000;
    List<T> found = probe.get();
    while (!found.isEmpty() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      found = probe.get();
    }
    return found;
  }
}

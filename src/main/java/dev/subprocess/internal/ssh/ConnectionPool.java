package dev.subprocess.internal.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.io.nio2.Nio2ServiceFactoryFactory;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.common.util.threads.SshThreadPoolExecutor;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/**
 * Shares connections to one host among its processes: each connection carries up to {@code maxSessions}
 * channels; a process that finds every connection full gets a new one (connections are opened one at a time,
 * so that a burst of processes does not trip the server's {@code MaxStartups}); a connection left without
 * channels closes after the idle timeout. The SSH client and its threads exist only while there is a
 * connection.
 */
final class ConnectionPool {
  private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);
  private static final AtomicInteger IO_THREADS = new AtomicInteger();
  private static final AtomicInteger TIMER_THREADS = new AtomicInteger();

  private final SshConfig config;
  private final List<Connection> connections = new ArrayList<>();
  private SshClient client;
  private final KnownHostsCheck hostKeys;
  private boolean connecting;
  /** How many times {@link #closeAll()} has run: a start that began before one is stopped once started. */
  private int closes;

  ConnectionPool(SshConfig config) {
    this.config = config;
    this.hostKeys = new KnownHostsCheck(config.knownHosts());
  }

  /** One connection, the number of channels it carries, and their processes. */
  final class Connection {
    final ClientSession session;
    int channels;
    int capacity = config.maxSessions();
    Disposable idleTimer;
    /** Set by {@link ConnectionPool#closeAll()}: takes no new process, closes once its last channel closed. */
    boolean draining;
    private final Set<SshChild> children = ConcurrentHashMap.newKeySet();

    Connection(ClientSession session) {
      this.session = session;
    }

    /** Gives back the channel slot taken by {@link ConnectionPool#acquire}. */
    void release() {
      ConnectionPool.this.release(this);
    }

    /** Records {@code child} as carried here, so that closing the host can tell it. */
    void attach(SshChild child) {
      children.add(child);
    }

    /** Forgets {@code child}, whose channel has closed. */
    void detach(SshChild child) {
      children.remove(child);
    }

    /**
     * Takes one more channel slot on this very connection, even while it drains, for a {@code kill} on behalf of
     * one of its processes; false if the connection is closed. The caller must {@link #release()} the slot.
     */
    boolean reserve() {
      synchronized (ConnectionPool.this) {
        if (!session.isOpen() || session.isClosing()) {
          return false;
        }
        take(this);
        return true;
      }
    }

    /** Says the server refused one more channel on this connection: it carries as many as it can now. */
    void full() {
      synchronized (ConnectionPool.this) {
        capacity = Math.max(1, channels);   // the refused channel was released already
      }
    }
  }

  /**
   * Returns a connection with a channel slot taken for the caller, opening one if every connection is full.
   * Blocks while connecting; the caller must {@link Connection#release()} the slot. Once the host has been closed,
   * only the library's own channels ({@code internal}: a {@code kill} for a process being stopped) get one, on a
   * connection that closes once its channels have; a user's process is refused at once.
   *
   * @throws StartFailures.HostClosed if the host has been closed and the channel is not {@code internal}
   */
  Connection acquire(boolean internal) throws IOException, GeneralSecurityException, InterruptedException {
    long deadline = System.nanoTime() + config.connectTimeout().toNanos() * 2;
    synchronized (this) {
      while (true) {
        if (closes > 0 && !internal) {
          throw new StartFailures.HostClosed();
        }
        for (Connection c : connections) {
          if (c.session.isOpen() && !c.session.isClosing() && !c.draining && c.channels < c.capacity) {
            take(c);
            return c;
          }
        }
        if (!connecting) {
          connecting = true;
          break;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IOException("timed out waiting " + config.connectTimeout() + " for a connection to "
              + config.name());
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
    Connection opened = null;
    try {
      opened = new Connection(connect());
      return opened;
    } finally {
      synchronized (this) {
        connecting = false;
        if (opened != null) {
          // Opened for a start that began before the host was closed, or for the library's own channel after:
          // it closes once its channels have.
          opened.draining = closes > 0;
          connections.add(opened);
          take(opened);
        } else if (connections.isEmpty()) {
          stopClient();
        }
        notifyAll();
      }
    }
  }

  private void take(Connection c) {
    c.channels++;
    if (c.idleTimer != null) {
      c.idleTimer.dispose();
      c.idleTimer = null;
    }
  }

  private synchronized void release(Connection c) {
    c.channels--;
    if (c.channels == 0) {
      // The server has freed its sessions by now: the connection carries as many as configured again.
      c.capacity = config.maxSessions();
    }
    notifyAll();
    if (c.channels == 0 && c.draining) {
      // Gracefully: what was written (the last signal requests) reaches the server first.
      c.session.close(false);
    } else if (c.channels == 0 && connections.contains(c)) {
      Duration idle = config.idleTimeout();
      c.idleTimer = Schedulers.parallel().schedule(() -> closeIfIdle(c), idle.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void closeIfIdle(Connection c) {
    synchronized (this) {
      if (c.channels > 0 || !connections.contains(c)) {
        return;
      }
      // Taken out of service under the lock: a start from now on opens or picks another connection rather than a
      // channel on this closing one.
      c.draining = true;
    }
    log.debug("closing the idle connection to {}", config.name());
    c.session.close(false);
  }

  private synchronized void closed(ClientSession session) {
    connections.removeIf(c -> c.session == session);
    notifyAll();
    if (connections.isEmpty() && !connecting) {
      stopClient();
    }
  }

  /**
   * Closes every connection: at once where no process runs, otherwise once its processes, which are stopped with
   * their stop policy (see {@link SshChild#drain()}), have ended. No connection takes a new process meanwhile; a
   * connection still being opened for a start that began before the close closes once its channels have, and that
   * start's process is stopped once it has started. Every later start is refused.
   */
  void closeAll() {
    List<Connection> open;
    synchronized (this) {
      closes++;
      // Starts waiting for a connection are refused at once.
      notifyAll();
      open = new ArrayList<>(connections);
      for (Connection c : open) {
        c.draining = true;
        if (c.idleTimer != null) {
          c.idleTimer.dispose();
          c.idleTimer = null;
        }
      }
    }
    for (Connection c : open) {
      for (SshChild child : List.copyOf(c.children)) {
        child.drain();
      }
      synchronized (this) {
        if (c.channels > 0) {
          continue;
        }
      }
      c.session.close(false);
    }
  }

  /**
   * Returns how many times the host has been closed: a start that reads a different number once its channel is
   * set up began before a close that could not see it, and stops its process once it has started.
   */
  synchronized int closes() {
    return closes;
  }

  /** Tells whether the host has been closed: it starts no more processes. */
  synchronized boolean isClosed() {
    return closes > 0;
  }

  private ClientSession connect() throws IOException, GeneralSecurityException {
    SshClient c = client();
    Duration timeout = config.connectTimeout();
    long t0 = System.nanoTime();
    hostKeys.takeRefusal();
    ClientSession session;
    try {
      session = c.connect(config.user(), config.address(), config.port()).verify(timeout.toMillis()).getSession();
    } catch (IOException | RuntimeException e) {
      // The key exchange can fail before the session is handed out: the refusal is then only known here.
      String refusal = hostKeys.takeRefusal();
      if (refusal != null) {
        throw new StartFailures.HostKeyRefused(refusal, e);
      }
      throw e;
    }
    try {
      for (KeyPair pair : config.keyPairs()) {
        session.addPublicKeyIdentity(pair);
      }
      for (Path file : config.identityFiles()) {
        for (KeyPair pair : load(session, file)) {
          session.addPublicKeyIdentity(pair);
        }
      }
      session.addSessionListener(new SessionListener() {
        @Override
        public void sessionClosed(Session s) {
          closed((ClientSession) s);
        }
      });
      long left = timeout.toNanos() - (System.nanoTime() - t0);
      session.auth().verify(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // The session forgets its attributes once closed, which the key exchange's failure may already have done:
      // the refusal kept for the connection being opened (one at a time) says it then.
      String refusal = session.getAttribute(KnownHostsCheck.REFUSAL);
      if (refusal == null) {
        refusal = hostKeys.takeRefusal();
      }
      session.close(true);
      if (refusal != null) {
        throw new StartFailures.HostKeyRefused(refusal, e);
      }
      throw e;
    }
    log.debug("connected to {} in {} ms", config.name(), (System.nanoTime() - t0) / 1_000_000);
    return session;
  }

  private static Iterable<KeyPair> load(ClientSession session, Path file) throws IOException,
      GeneralSecurityException {
    try (InputStream in = Files.newInputStream(file)) {
      Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(session, NamedResource.ofName(file.toString()),
          in, null);
      if (pairs == null) {
        throw new GeneralSecurityException("no private key could be read from " + file);
      }
      return pairs;
    }
  }

  private synchronized SshClient client() {
    if (client == null) {
      SshClient c = SshClient.setUpDefaultClient();
      c.setServerKeyVerifier(hostKeys);
      c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
      c.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
      c.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
      c.setCipherFactories(preferAesGcm(c.getCipherFactories()));
      c.setIoServiceFactoryFactory(new Nio2ServiceFactoryFactory(() -> new SshThreadPoolExecutor(2, 2, 0L,
          TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), SshThreads.factory("io-", IO_THREADS))));
      c.setScheduledExecutorService(Executors.newSingleThreadScheduledExecutor(
          SshThreads.factory("timer-", TIMER_THREADS)), true);
      CoreModuleProperties.NIO_WORKERS.set(c, 2);
      // Small packets (a channel open, a close) go out at once: with Nagle's algorithm each waited for the
      // server's delayed ACK of the one before, some 40 ms per remote process.
      CoreModuleProperties.TCP_NODELAY.set(c, true);
      c.start();
      client = c;
    }
    return client;
  }

  /**
   * Puts AES-GCM first among the ciphers offered, keeping the rest in their order: the JDK runs AES-GCM on the
   * processor's AES and carry-less multiply instructions, several times faster than the Java ChaCha20-Poly1305
   * that MINA SSHD offers first, which bounded stdout throughput. Every OpenSSH server since 6.2 accepts it.
   */
  static List<NamedFactory<Cipher>> preferAesGcm(List<NamedFactory<Cipher>> offered) {
    List<NamedFactory<Cipher>> ordered = new ArrayList<>();
    for (String name : List.of(BuiltinCiphers.Constants.AES128_GCM, BuiltinCiphers.Constants.AES256_GCM)) {
      for (NamedFactory<Cipher> f : offered) {
        if (f.getName().equals(name)) {
          ordered.add(f);
        }
      }
    }
    for (NamedFactory<Cipher> f : offered) {
      if (!ordered.contains(f)) {
        ordered.add(f);
      }
    }
    return ordered;
  }

  private void stopClient() {
    SshClient c = client;
    client = null;
    if (c != null) {
      // Not on the caller's thread: that may be one of the client's own I/O threads.
      SshThreads.START.execute(c::stop);
    }
  }
}

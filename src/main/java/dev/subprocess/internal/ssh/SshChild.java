package dev.subprocess.internal.ssh;

import dev.subprocess.internal.ChildProcess;
import dev.subprocess.internal.LaunchSpec;
import dev.subprocess.internal.PipeSink;
import dev.subprocess.internal.PipeSource;
import dev.subprocess.internal.SignalNumbers;
import dev.subprocess.ssh.ConnectionLostException;
import dev.subprocess.ssh.HostClosedException;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Schedulers;

/**
 * Controls one remote process: a {@code session} channel running the command, as the engine controls a local
 * child. Its exit is the channel's {@code exit-status} (or {@code -N} for an {@code exit-signal} of signal N);
 * signals go as the channel's {@code signal} request, which OpenSSH's server delivers to the remote process
 * group, or, where the server refuses that request, as {@code kill} of that process group run on another channel. A channel that closes before reporting an exit (the connection broke, the server died) fails the exit
 * and the streams with an error naming the host.
 */
final class SshChild implements ChildProcess, ChannelListener {
  private static final Logger log = LoggerFactory.getLogger(SshChild.class);
  /** How long after SIGKILL the server has to report the exit before the channel is closed without it. */
  static final long KILL_BACKSTOP_SECONDS = 10;

  private final RemoteChannel channel;
  private final Signaller fallback;
  private final ConnectionPool.Connection connection;
  private final LaunchSpec spec;
  private final String host;
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  /**
   * Completes once this JVM has written what the remote process sent to a local file or its own stdout or stderr:
   * the exit is reported only then, as a local process's output is in its file when it has exited.
   */
  private final CompletableFuture<Void> copied = new CompletableFuture<>();
  private final AtomicBoolean slotReleased = new AtomicBoolean();
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile boolean eof;
  private volatile boolean opened;
  /** The stop policy has signalled: the host's close leaves the channel open until the process has ended. */
  private volatile boolean stopping;
  /** The library's own channel (a {@code kill} for another process): the host's close waits for it too. */
  private final boolean internal;
  /** The host is being closed: the process is stopped, and the channel closes as soon as nothing keeps it open. */
  private volatile boolean draining;
  /** The host's close ran the stop policy: a checked run's error says the host was closed. */
  private volatile boolean stoppedByClose;
  /** The engine's stop policy for this process, once the engine has wired it; guarded by {@code this}. */
  private Runnable stopRequest;
  private volatile long pid;
  private PipeSink stdin;
  private PipeSource stdout;
  private PipeSource stderr;

  /** Signals a remote process another way when the server refuses the {@code signal} request. */
  interface Signaller {
    void signal(SshChild child, String name);
  }

  SshChild(RemoteChannel channel, ConnectionPool.Connection connection, LaunchSpec spec, String host,
      Signaller fallback, boolean internal) {
    this.channel = channel;
    this.fallback = fallback;
    this.connection = connection;
    this.spec = spec;
    this.host = host;
    this.internal = internal;
    if (internal) {
      copied.complete(null);
    }
    channel.afterSignalReply(this::settleDrain);
    connection.attach(this);
  }

  ConnectionPool.Connection connection() {
    return connection;
  }

  RemoteChannel channel() {
    return channel;
  }

  LaunchSpec spec() {
    return spec;
  }

  /**
   * Completes the start: the remote pid, the streams as the engine sees them, and the copies of the streams that
   * this JVM writes to local files, which the exit waits for.
   */
  void started(long remotePid, PipeSink in, PipeSource out, PipeSource err, CompletableFuture<Void> copies) {
    this.pid = remotePid;
    this.stdin = in;
    this.stdout = out;
    this.stderr = err;
    this.opened = true;
    copies.whenComplete((done, error) -> copied.complete(null));
  }

  /** Says why a stream ended without the server's end-of-file: the channel was lost; null if it ended well. */
  Throwable lostReason() {
    if (eof || exit.isDone() && !exit.isCompletedExceptionally()) {
      return null;
    }
    return lost();
  }

  private ConnectionLostException lost() {
    return new ConnectionLostException(spec.argv(), spec.workingDirectory(), host, "Lost the connection to " + host
        + " while " + spec.argv() + " was running (remote pid " + pid + "): the channel closed before the"
        + " process's exit was reported. The server or the network may have gone down.", null);
  }

  @Override
  public long pid() {
    return pid;
  }

  @Override
  public PipeSink stdin() {
    return stdin;
  }

  @Override
  public PipeSource stdout() {
    return stdout;
  }

  @Override
  public PipeSource stderr() {
    return stderr;
  }

  @Override
  public CompletableFuture<Integer> exit() {
    return exit;
  }

  @Override
  public void channelStateChanged(Channel c, String hint) {
    if ("SSH_MSG_CHANNEL_EOF".equals(hint)) {
      eof = true;
      // The server sends no more data on either stream: reads end once what arrived is taken.
      channel.getAsyncOut().close(false);
      channel.getAsyncErr().close(false);
    }
    Integer status = channel.getExitStatus();
    String signal = channel.getExitSignal();
    if (status != null) {
      exited(status);
    } else if (signal != null) {
      int number = SignalNames.number(signal);
      if (number == 0) {
        log.warn("{} on {} died of signal {}, which has no number here: reporting 255", spec.argv(), host, signal);
      }
      exited(number == 0 ? 255 : -number);
    }
  }

  private void exited(int code) {
    if (!exit.isDone()) {
      copied.thenRun(() -> SshThreads.START.execute(() -> {
        exit.complete(code);
        settleDrain();
      }));
    }
  }

  /**
   * Tells the process that its host is being closed: a process still running is stopped with the engine's stop
   * policy, as a cancellation stops it (the kill signal over the channel, then SIGKILL after the grace), and its
   * channel closes once it has ended, so that its run ends as stopped. A process still starting is stopped as
   * soon as it has started; the channel of one that has ended closes at once. The library's own channels (a
   * {@code kill} for another process) and signal requests awaiting their reply (a refusal still sends {@code kill}
   * on another channel) keep it open until they are done.
   */
  void drain() {
    Runnable stop;
    synchronized (this) {
      draining = true;
      stop = stopRequest;
    }
    if (stop != null && !stopping && !exit.isDone()) {
      stoppedByClose = !exitReported();
      stop.run();
    }
    settleDrain();
  }

  @Override
  public void onStopRequest(Runnable stop) {
    boolean now;
    synchronized (this) {
      stopRequest = stop;
      now = draining;
    }
    if (now && !stopping && !exit.isDone()) {
      // The host was closed while the process was being wired: stopped as soon as the engine can.
      stoppedByClose = !exitReported();
      stop.run();
    }
    settleDrain();
  }

  /** Tells whether the server has reported the exit already, though the exit may not be complete yet. */
  private boolean exitReported() {
    return channel.getExitStatus() != null || channel.getExitSignal() != null;
  }

  /**
   * Says, for a process that the host's close stopped, that the host was closed, naming it. One whose exit the
   * server had reported before the close came is not one: it ended on its own.
   */
  @Override
  public RuntimeException stoppedError(int returnCode, byte[] stdout, byte[] stderr, String message) {
    if (!stoppedByClose) {
      return null;
    }
    return new HostClosedException(spec.argv(), spec.workingDirectory(), host, returnCode, stdout, stderr,
        "The process was stopped because its SshHost " + host + " was closed (SshHost.close() stops what still"
        + " runs on the host). " + message);
  }

  private boolean keepsConnection() {
    return !exit.isDone() && (stopping || internal || channel.signalPending() || !stopWired());
  }

  /**
   * Tells whether the engine has handed over its stop policy: until then the process is starting, and its start
   * completes, so that the process is stopped as any other rather than cut off mid-start.
   */
  private synchronized boolean stopWired() {
    return stopRequest != null;
  }

  private void settleDrain() {
    if (draining && !keepsConnection() && !channel.isClosing()) {
      channel.close(!exit.isDone());
    }
  }

  @Override
  public void channelClosed(Channel c, Throwable reason) {
    connection.detach(this);
    if (slotReleased.compareAndSet(false, true)) {
      connection.release();
    }
    if (opened && !exit.isDone() && channel.getExitStatus() == null && channel.getExitSignal() == null) {
      ConnectionLostException error = lost();
      SshThreads.START.execute(() -> exit.completeExceptionally(error));
    }
  }

  /** Gives the channel slot back if the channel never opened. */
  void abandon() {
    channel.close(true);
    connection.detach(this);
    if (slotReleased.compareAndSet(false, true)) {
      connection.release();
    }
  }

  @Override
  public void signal(int signal, boolean group) {
    String name = SignalNames.sendable(signal);
    if (name == null) {
      throw unsupportedSignal(signal);
    }
    if (exit.isDone() || channel.isClosing()) {
      return;
    }
    if (group) {
      // Only the stop policy signals the group; it ends with SIGKILL, whose backstop bounds the wait.
      stopping = true;
    }
    try {
      channel.signal(name, () -> fallback.signal(this, name));
    } catch (IOException e) {
      log.debug("could not send {} to {} on {}: {}", name, spec.argv(), host, e.toString());
    }
    if (signal == SignalNumbers.SIGKILL) {
      Schedulers.parallel().schedule(this::killBackstop, KILL_BACKSTOP_SECONDS, TimeUnit.SECONDS);
    }
  }

  /**
   * Sends SIGKILL again, as {@code kill} on another channel, to a process that the signal request's SIGKILL
   * did not end (a server that acknowledges signal requests but ignores them); closes its channel if that did
   * not end it either.
   */
  private void killBackstop() {
    if (!exit.isDone()) {
      log.warn("{} on {} did not report its exit {} s after SIGKILL: the server may ignore signal requests;"
          + " sending SIGKILL with kill on another channel", spec.argv(), host, KILL_BACKSTOP_SECONDS);
      fallback.signal(this, "KILL");
      Schedulers.parallel().schedule(this::lastBackstop, KILL_BACKSTOP_SECONDS, TimeUnit.SECONDS);
    }
  }

  private void lastBackstop() {
    if (!exit.isDone()) {
      log.warn("{} on {} did not report its exit {} s after kill -KILL either: closing its channel", spec.argv(),
          host, KILL_BACKSTOP_SECONDS);
      channel.close(true);
    }
  }

  static UnsupportedOperationException unsupportedSignal(int signal) {
    return new UnsupportedOperationException("signal " + signal + " (" + SignalNumbers.name(signal) + ") cannot be"
        + " sent to a remote process: the SSH signal request carries only HUP, INT, QUIT, ILL, ABRT, FPE, KILL,"
        + " USR1, SEGV, USR2, PIPE, ALRM and TERM");
  }

  @Override
  public void release() {
    if (released.compareAndSet(false, true)) {
      if (stdin != null) {
        stdin.close();
      }
      if (stdout != null) {
        stdout.close();
      }
      if (stderr != null) {
        stderr.close();
      }
      channel.close(false);
    }
  }
}

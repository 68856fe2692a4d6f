package dev.subprocess.internal.ssh;

import dev.subprocess.internal.ChildProcess;
import dev.subprocess.internal.LaunchSpec;
import dev.subprocess.internal.Launcher;
import dev.subprocess.internal.PipeSink;
import dev.subprocess.internal.PipeSource;
import dev.subprocess.internal.RunSpec;
import dev.subprocess.internal.StartFailure;
import dev.subprocess.internal.Stream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.channel.StreamingChannel;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.io.IoInputStream;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * Starts processes on one SSH host: each process is a {@code session} channel on a shared connection, running
 * the command line {@link RemoteScript} writes. What cannot work remotely is refused before connecting.
 */
public final class SshLauncher implements Launcher {
  /** The launcher's name in messages. */
  public static final String NAME = "ssh";
  /**
   * The reason codes of a channel refused because the connection carries as many as the server allows: OpenSSH
   * answers "open failed" with CONNECT_FAILED (2) when MaxSessions is reached; others use PROHIBITED (1).
   */
  private static final int ADMINISTRATIVELY_PROHIBITED = 1;
  private static final int CONNECT_FAILED = 2;
  /** How many connections a start tries before it gives up finding room for one more channel. */
  private static final int OPEN_ATTEMPTS = 100;
  /** Where a stream goes that this side does not read: the stdout a stage sends to the next stage remotely. */
  private static final Stream DISCARDED = new Stream(Stream.Type.DEVNULL, null);

  private final SshConfig config;
  private final ConnectionPool pool;

  /** Creates the launcher of the host {@code config} describes; nothing connects until a start. */
  public SshLauncher(SshConfig config) {
    this.config = config;
    this.pool = new ConnectionPool(config);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void requireSupport(RunSpec spec) {
    LaunchSpec launch = spec.launch();
    if (launch.passFds().length > 0) {
      throw unsupported("passFds(...)", "descriptors of this process cannot reach a process on another host");
    }
    if (launch.pipeSize() > 0) {
      throw unsupported("pipeSize(" + launch.pipeSize() + ")",
          "the remote pipes are the server's; the SSH channel window bounds what is in flight instead");
    }
    if (launch.executable() != null) {
      throw unsupported("executable(" + launch.executable() + ")",
          "the remote shell cannot give argv[0] apart from the program; put the program first in argv");
    }
    if (launch.terminal() != null) {
      throw unsupported("terminal(" + launch.terminal().columns() + ", " + launch.terminal().rows() + ")",
          "no pseudo-terminal is requested on the remote side; run the command without a terminal");
    }
    if (launch.stdinStream().type() == Stream.Type.READ) {
      throw unsupported("stdin(Redirect.from(" + launch.stdinStream().file() + "))",
          "a local file cannot be the stdin of a remote process; use input(...) to stream it");
    }
    if (SignalNames.sendable(spec.killSignal()) == null) {
      throw SshChild.unsupportedSignal(spec.killSignal());
    }
  }

  private UnsupportedOperationException unsupported(String option, String why) {
    return new UnsupportedOperationException(option + " is not supported on the remote host " + config.name()
        + ": " + why);
  }

  /** Checks nothing here: the working directory is the remote host's, checked by the remote shell. */
  @Override
  public LaunchSpec preflight(LaunchSpec spec) {
    return spec;
  }

  @Override
  public ChildProcess start(LaunchSpec spec) {
    refuseIfClosed(spec);
    return start(spec, RemoteScript.of(spec), false, false);
  }

  /**
   * Refuses a start once the host has been closed, before anything is opened: one whose task runs after the close,
   * even if it was subscribed before, starts nothing. A start already past this point when the host closes is
   * refused its connection, or, if it was connecting already, its process is stopped once started.
   */
  private void refuseIfClosed(LaunchSpec spec) {
    if (pool.isClosed()) {
      throw StartFailures.of(spec, config, new StartFailures.HostClosed());
    }
  }

  private SshChild start(LaunchSpec spec, String script, boolean joinedIn, boolean joinedOut) {
    // Local files are opened before the channel, as locally before the spawn: one that cannot be opened fails the
    // start before anything has run on the host.
    OutputStream out = joinedOut ? null : localTarget(spec, spec.stdoutStream(), "stdout");
    OutputStream err;
    try {
      err = localTarget(spec, spec.stderrStream(), "stderr");
    } catch (StartFailure e) {
      closeQuietly(out);
      throw e;
    }
    SshChild child;
    try {
      child = open(spec, script, false, null);
    } catch (RuntimeException e) {
      closeQuietly(out);
      closeQuietly(err);
      throw e;
    }
    try {
      return wire(child, joinedIn, joinedOut, out, err);
    } catch (StartFailure e) {
      closeQuietly(out);
      closeQuietly(err);
      child.abandon();
      throw e;
    } catch (IOException | RuntimeException e) {
      closeQuietly(out);
      closeQuietly(err);
      child.abandon();
      throw StartFailures.of(spec, config, e);
    }
  }

  /** Opens the local file that {@code r} writes the remote stream {@code name} to; null if it writes none. */
  private OutputStream localTarget(LaunchSpec spec, Stream r, String name) {
    if (r.type() != Stream.Type.WRITE && r.type() != Stream.Type.APPEND) {
      return null;
    }
    try {
      return new FileOutputStream(r.file().toFile(), r.type() == Stream.Type.APPEND);
    } catch (IOException e) {
      throw new StartFailure(spec, "cannot open " + r.file() + " for the " + name + " of the process on "
          + config.name() + ": " + e.getMessage(), null, e);
    }
  }

  private static void closeQuietly(OutputStream stream) {
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException e) {
        // Nothing was written to it.
      }
    }
  }

  @Override
  public List<ChildProcess> startPipeline(List<LaunchSpec> stages) {
    refuseIfClosed(stages.get(0));
    return RemotePipeline.start(this, stages);
  }

  /**
   * Starts a process from its already written command line; a joined stream is the remote shell's business,
   * so this side neither writes its stdin nor reads its stdout.
   */
  SshChild startScript(LaunchSpec spec, String script, boolean joinedIn, boolean joinedOut) {
    return start(spec, script, joinedIn, joinedOut);
  }

  /** Runs {@code script} remotely to its end and returns its stdout, failing with its stderr if it fails. */
  String runToEnd(LaunchSpec about, String script) {
    return runToEnd(about, script, null);
  }

  /**
   * Runs {@code script} as {@link #runToEnd(LaunchSpec, String)} does, on the connection {@code reserved} (whose
   * slot the caller took) if not null: a {@code kill} for a process of a connection that is being closed.
   */
  private String runToEnd(LaunchSpec about, String script, ConnectionPool.Connection reserved) {
    SshChild child = open(about, script, true, reserved);
    try {
      RemoteChannel channel = child.channel();
      channel.getAsyncIn().close(false);
      byte[] out = readAll(channel.getAsyncOut());
      byte[] err = readAll(channel.getAsyncErr());
      Integer status = child.exit().get(config.connectTimeout().toMillis(),
          java.util.concurrent.TimeUnit.MILLISECONDS);
      if (status != 0) {
        throw new StartFailure(about, "the remote shell could not prepare the pipeline: "
            + new String(err, StandardCharsets.UTF_8).strip(), null, null);
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (StartFailure e) {
      throw e;
    } catch (Exception e) {
      throw StartFailures.of(about, config, e);
    } finally {
      child.release();
    }
  }

  /**
   * Opens the channel of {@code script}, the library's own ({@code internal}) or a user's process, on a
   * connection with room for it: {@code reserved} first if not null (its slot taken by the caller).
   */
  private SshChild open(LaunchSpec spec, String script, boolean internal, ConnectionPool.Connection reserved) {
    int closes = pool.closes();
    for (int attempt = 1; ; attempt++) {
      ConnectionPool.Connection connection;
      try {
        connection = attempt == 1 && reserved != null ? reserved : pool.acquire(internal);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw StartFailures.of(spec, config, e);
      } catch (Exception e) {
        throw StartFailures.of(spec, config, e);
      }
      SshChild child = null;
      try {
        RemoteChannel channel = new RemoteChannel(script);
        connection.session.getService(ConnectionService.class).registerChannel(channel);
        channel.setStreaming(StreamingChannel.Streaming.Async);
        child = new SshChild(channel, connection, spec, config.name(), this::killGroup, internal);
        channel.addChannelListener(child);
        if (!internal && pool.closes() != closes) {
          // The host was closed while this start waited for its connection, or before the close could see the
          // child: it is stopped as soon as it has started, as the close stops every process still starting.
          child.drain();
        }
        channel.open().verify(config.connectTimeout().toMillis());
        return child;
      } catch (IOException | RuntimeException e) {
        SshChannelOpenException refused = openRefusal(e);
        if (refused == null) {
          if (child != null) {
            child.abandon();
          } else {
            connection.release();
          }
          throw StartFailures.of(spec, config, e);
        }
        if (child != null) {
          child.abandon();
        } else {
          connection.release();
        }
        int code = refused.getReasonCode();
        if (code != ADMINISTRATIVELY_PROHIBITED && code != CONNECT_FAILED || attempt >= OPEN_ATTEMPTS) {
          throw StartFailures.of(spec, config, e);
        }
        connection.full();
      }
    }
  }

  /** Reads the remote pid from the first line of stdout and sets up the streams as the spec redirects them. */
  private SshChild wire(SshChild child, boolean joinedIn, boolean joinedOut, OutputStream outFile,
      OutputStream errFile) throws IOException {
    LaunchSpec spec = child.spec();
    RemoteChannel channel = child.channel();
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    ByteBuffer rest = null;
    while (rest == null) {
      ByteArrayBuffer buffer = new ByteArrayBuffer(ChannelSource.CHUNK, false);
      int n = readOnce(channel.getAsyncOut(), buffer);
      if (n < 0) {
        throw notStarted(child, line.toString(StandardCharsets.UTF_8));
      }
      byte[] data = buffer.array();
      int from = buffer.rpos();
      int end = from + buffer.available();
      for (int i = from; i < end; i++) {
        if (data[i] == '\n') {
          line.write(data, from, i - from);
          rest = ByteBuffer.wrap(data, i + 1, end - i - 1);
          break;
        }
      }
      if (rest == null) {
        line.write(data, from, end - from);
      }
    }
    String header = line.toString(StandardCharsets.UTF_8);
    if (header.equals(RemoteScript.NO_CWD)) {
      throw notStarted(child, header);
    }
    long pid;
    try {
      pid = Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      throw new IOException("the remote shell of " + config.name() + " printed '" + header + "' before the"
          + " command instead of its pid: the login shell or its profile writes to stdout");
    }
    PipeSink in = null;
    if (spec.stdinStream().type() == Stream.Type.PIPE && !joinedIn) {
      in = new ChannelSink(channel.getAsyncIn());
    } else {
      channel.getAsyncIn().close(false);
    }
    String what = spec.argv() + " on " + config.name();
    PipeSource out = new ChannelSource(channel.getAsyncOut(), rest, child::lostReason);
    PipeSource err = new ChannelSource(channel.getAsyncErr(), null, child::lostReason);
    Stream stdout = joinedOut ? DISCARDED : spec.stdoutStream();
    List<CompletableFuture<Void>> copies = new ArrayList<>(2);
    child.started(pid, in, route(out, stdout, outFile, FileDescriptor.out, "stdout of " + what, copies),
        route(err, spec.stderrStream(), errFile, FileDescriptor.err, "stderr of " + what, copies),
        CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new)));
    return child;
  }

  /**
   * Returns {@code source} when the spec pipes it; otherwise copies it into {@code file} (opened already for a
   * file redirect) or the inherited stream, adding the copy to {@code copies}, or drains it, and returns null.
   */
  private static PipeSource route(PipeSource source, Stream r, OutputStream file, FileDescriptor inherited,
      String description, List<CompletableFuture<Void>> copies) {
    switch (r.type()) {
      case PIPE:
        return source;
      case INHERIT:
        copies.add(LocalCopy.start(source, new FileOutputStream(inherited), false, description));
        return null;
      case WRITE:
      case APPEND:
        copies.add(LocalCopy.start(source, file, true, description));
        return null;
      default:
        LocalCopy.drain(source, description);
        return null;
    }
  }

  /** Returns the start failure of a remote shell that ended before running the command. */
  private StartFailure notStarted(SshChild child, String firstLine) {
    LaunchSpec spec = child.spec();
    String stderr = "";
    try {
      stderr = new String(readAll(child.channel().getAsyncErr()), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      // The reason below stands without stderr.
    }
    String reason;
    String error = null;
    if (firstLine.equals(RemoteScript.NO_CWD)) {
      reason = "the working directory " + spec.cwd() + " cannot be entered on " + config.name();
      error = "ENOENT";
    } else {
      reason = "the remote shell on " + config.name() + " ended before it ran the command";
    }
    return new StartFailure(spec, stderr.isEmpty() ? reason : reason + " (" + stderr + ")", error, null);
  }

  private byte[] readAll(IoInputStream stream) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    while (all.size() < 1024 * 1024) {
      ByteArrayBuffer buffer = new ByteArrayBuffer(ChannelSource.CHUNK, false);
      int n = readOnce(stream, buffer);
      if (n < 0) {
        break;
      }
      all.write(buffer.array(), buffer.rpos(), buffer.available());
    }
    return all.toByteArray();
  }

  /**
   * Sends signal {@code name} to the process group of {@code child} with {@code kill}, run on another channel:
   * what the {@code signal} request does where the server refuses it. The remote shell made the process the
   * leader of its group (sshd starts each session with {@code setsid}).
   */
  private void killGroup(SshChild child, String name) {
    long pid = child.pid();
    if (pid <= 0 || child.exit().isDone()) {
      return;
    }
    // The slot is taken here, before the process's own channel may close: a connection that is being closed
    // stays open for the kill.
    ConnectionPool.Connection own = child.connection();
    ConnectionPool.Connection reserved = own.reserve() ? own : null;
    SshThreads.START.execute(() -> {
      try {
        runToEnd(child.spec(), "kill -s " + name + " -- -" + pid + " 2>/dev/null || kill -s " + name + " " + pid
            + " 2>/dev/null || true", reserved);
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(SshLauncher.class).warn("could not send {} to {} on {}: {}", name,
            child.spec().argv(), config.name(), e.toString());
      }
    });
  }

  private static SshChannelOpenException openRefusal(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SshChannelOpenException refused) {
        return refused;
      }
    }
    return null;
  }

  /** Reads once into {@code buffer}, waiting at most the connect timeout; returns -1 at the end. */
  private int readOnce(IoInputStream stream, ByteArrayBuffer buffer) throws IOException {
    try {
      return stream.read(buffer).verify(config.connectTimeout().toMillis()).getRead();
    } catch (IOException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof EOFException) {
          return -1;
        }
      }
      throw e;
    }
  }

  @Override
  public Executor startExecutor() {
    return SshThreads.START;
  }

  /** Closes every connection of this host. */
  public void close() {
    pool.closeAll();
  }

  SshConfig config() {
    return config;
  }
}

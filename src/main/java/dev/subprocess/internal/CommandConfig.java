package dev.subprocess.internal;

import dev.subprocess.Host;
import dev.subprocess.Redirect;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Holds the whole configuration of a command, as one immutable value: every {@code with} method returns a copy
 * with one field changed and leaves this one as it was. The face checks the arguments; this value only records
 * them, and derives from them the {@link RunSpec} of each run ({@link #runSpec(boolean)}), so that which streams
 * an operation pipes is decided here, once.
 *
 * <p>Fields are written only between {@link #duplicate()} and the return of the {@code with} method that made
 * the copy, before the copy is published; after that nothing changes them.
 */
public final class CommandConfig {
  private List<String> argv;
  private Path executable;
  private Path cwd;
  private Map<String, String> environment;
  private Map<String, String> environmentAdditions = Map.of();
  private Redirect stdin;
  private Redirect stdout;
  private Redirect stderr;
  private Object input;
  private boolean captureOutput;
  private Duration timeout;
  private boolean check;
  private Charset encoding = StandardCharsets.UTF_8;
  private CodingErrorAction decodingErrors = CodingErrorAction.REPORT;
  private Map<String, Object> contextEnvironment = Map.of();
  private int killSignal;
  private Duration killGrace;
  private Duration drainTimeout;
  private int unreadBufferLimit;
  private boolean newSession;
  private boolean inheritProcessGroup;
  private int[] passFds = new int[0];
  private int pipeSize;
  private int maxLineLength;
  private int captureLimit;
  private TerminalSpec terminal;
  private Host host;
  private int[] okExitCodes = new int[0];

  private CommandConfig() {}

  /**
   * Returns the configuration of a command that runs {@code argv} with the defaults: streams inherited, no
   * timeout, no check, UTF-8 text reported strictly, and the stop policy and limits given.
   */
  public static CommandConfig of(List<String> argv, int killSignal, Duration killGrace, Duration drainTimeout,
      int unreadBufferLimit, int maxLineLength, int captureLimit) {
    CommandConfig c = new CommandConfig();
    c.argv = argv;
    c.killSignal = killSignal;
    c.killGrace = killGrace;
    c.drainTimeout = drainTimeout;
    c.unreadBufferLimit = unreadBufferLimit;
    c.maxLineLength = maxLineLength;
    c.captureLimit = captureLimit;
    return c;
  }

  /** Returns a copy of this configuration, for a {@code with} method to change one field of. */
  private CommandConfig duplicate() {
    CommandConfig c = new CommandConfig();
    c.argv = argv;
    c.executable = executable;
    c.cwd = cwd;
    c.environment = environment;
    c.environmentAdditions = environmentAdditions;
    c.stdin = stdin;
    c.stdout = stdout;
    c.stderr = stderr;
    c.input = input;
    c.captureOutput = captureOutput;
    c.timeout = timeout;
    c.check = check;
    c.encoding = encoding;
    c.decodingErrors = decodingErrors;
    c.contextEnvironment = contextEnvironment;
    c.killSignal = killSignal;
    c.killGrace = killGrace;
    c.drainTimeout = drainTimeout;
    c.unreadBufferLimit = unreadBufferLimit;
    c.newSession = newSession;
    c.inheritProcessGroup = inheritProcessGroup;
    c.passFds = passFds;
    c.pipeSize = pipeSize;
    c.maxLineLength = maxLineLength;
    c.captureLimit = captureLimit;
    c.terminal = terminal;
    c.host = host;
    c.okExitCodes = okExitCodes;
    return c;
  }

  /** Returns the argv, unmodifiable. */
  public List<String> argv() {
    return argv;
  }

  /** Returns the working directory given, or null for this process's. */
  public Path cwd() {
    return cwd;
  }

  /** Returns the variables set on top of the environment, unmodifiable. */
  public Map<String, String> environmentAdditions() {
    return environmentAdditions;
  }

  /** Returns the environment variables taken from the Context, variable to key, unmodifiable. */
  public Map<String, Object> contextEnvironment() {
    return contextEnvironment;
  }

  /** Returns the stdin redirect given, or null when left at its default. */
  public Redirect stdin() {
    return stdin;
  }

  /** Tells whether stdout and stderr are piped for the run to capture. */
  public boolean captureOutput() {
    return captureOutput;
  }

  /** Returns the stdout redirect given, or null when left at its default. */
  public Redirect stdout() {
    return stdout;
  }

  /** Returns the stderr redirect given, or null when left at its default. */
  public Redirect stderr() {
    return stderr;
  }

  /** Returns the input: a {@code byte[]}, a {@code String} or a {@code Publisher<ByteBuffer>}; or null. */
  public Object input() {
    return input;
  }

  /** Returns the charset of the command's text. */
  public Charset encoding() {
    return encoding;
  }

  /** Returns the host bound, or null for this machine. */
  public Host host() {
    return host;
  }

  /** Returns a copy with this argv. */
  public CommandConfig withArgv(List<String> value) {
    CommandConfig c = duplicate();
    c.argv = value;
    return c;
  }

  /** Returns a copy that executes this program instead of {@code argv[0]}. */
  public CommandConfig withExecutable(Path value) {
    CommandConfig c = duplicate();
    c.executable = value;
    return c;
  }

  /** Returns a copy that starts in this directory. */
  public CommandConfig withCwd(Path value) {
    CommandConfig c = duplicate();
    c.cwd = value;
    return c;
  }

  /** Returns a copy with this whole environment (unmodifiable) and no variables added on top. */
  public CommandConfig withEnvironment(Map<String, String> value) {
    CommandConfig c = duplicate();
    c.environment = value;
    c.environmentAdditions = Map.of();
    return c;
  }

  /** Returns a copy with these variables (unmodifiable) set on top of the environment. */
  public CommandConfig withEnvironmentAdditions(Map<String, String> value) {
    CommandConfig c = duplicate();
    c.environmentAdditions = value;
    return c;
  }

  /** Returns a copy with this stdin redirect. */
  public CommandConfig withStdin(Redirect value) {
    CommandConfig c = duplicate();
    c.stdin = value;
    return c;
  }

  /** Returns a copy with this stdout redirect. */
  public CommandConfig withStdout(Redirect value) {
    CommandConfig c = duplicate();
    c.stdout = value;
    return c;
  }

  /** Returns a copy with this stderr redirect. */
  public CommandConfig withStderr(Redirect value) {
    CommandConfig c = duplicate();
    c.stderr = value;
    return c;
  }

  /** Returns a copy that feeds this input (see {@link #input()}) through a piped stdin. */
  public CommandConfig withInput(Object value) {
    CommandConfig c = duplicate();
    c.input = value;
    return c;
  }

  /** Returns a copy that pipes stdout and stderr, for the run to capture. */
  public CommandConfig withCaptureOutput() {
    CommandConfig c = duplicate();
    c.captureOutput = true;
    return c;
  }

  /** Returns a copy with this time limit. */
  public CommandConfig withTimeout(Duration value) {
    CommandConfig c = duplicate();
    c.timeout = value;
    return c;
  }

  /** Returns a copy whose run fails on a non-zero return code. */
  public CommandConfig withCheck() {
    CommandConfig c = duplicate();
    c.check = true;
    return c;
  }

  /** Returns a copy that takes these return codes (an array nobody else holds), besides zero, as success. */
  public CommandConfig withOkExitCodes(int[] value) {
    CommandConfig c = duplicate();
    c.okExitCodes = value;
    return c;
  }

  /** Returns a copy whose text is in this charset. */
  public CommandConfig withEncoding(Charset value) {
    CommandConfig c = duplicate();
    c.encoding = value;
    return c;
  }

  /** Returns a copy that decodes text with this action for malformed or unmappable input. */
  public CommandConfig withDecodingErrors(CodingErrorAction value) {
    CommandConfig c = duplicate();
    c.decodingErrors = value;
    return c;
  }

  /** Returns a copy that takes these variables (unmodifiable, variable to key) from the Context. */
  public CommandConfig withContextEnvironment(Map<String, Object> value) {
    CommandConfig c = duplicate();
    c.contextEnvironment = value;
    return c;
  }

  /** Returns a copy whose stop policy starts with this signal. */
  public CommandConfig withKillSignal(int value) {
    CommandConfig c = duplicate();
    c.killSignal = value;
    return c;
  }

  /** Returns a copy whose stop policy waits this long before SIGKILL. */
  public CommandConfig withKillGrace(Duration value) {
    CommandConfig c = duplicate();
    c.killGrace = value;
    return c;
  }

  /** Returns a copy that awaits output this long after the exit. */
  public CommandConfig withDrainTimeout(Duration value) {
    CommandConfig c = duplicate();
    c.drainTimeout = value;
    return c;
  }

  /** Returns a copy that holds this many bytes of an unread stream of an owned process. */
  public CommandConfig withUnreadBufferLimit(int value) {
    CommandConfig c = duplicate();
    c.unreadBufferLimit = value;
    return c;
  }

  /** Returns a copy whose process leads a new session. */
  public CommandConfig withNewSession() {
    CommandConfig c = duplicate();
    c.newSession = true;
    return c;
  }

  /** Returns a copy whose process stays in this process's group. */
  public CommandConfig withInheritProcessGroup() {
    CommandConfig c = duplicate();
    c.inheritProcessGroup = true;
    return c;
  }

  /** Returns a copy that passes these descriptors, an array nobody else holds. */
  public CommandConfig withPassFds(int[] value) {
    CommandConfig c = duplicate();
    c.passFds = value;
    return c;
  }

  /** Returns a copy that asks for pipes of this capacity. */
  public CommandConfig withPipeSize(int value) {
    CommandConfig c = duplicate();
    c.pipeSize = value;
    return c;
  }

  /** Returns a copy whose lines may be this long. */
  public CommandConfig withMaxLineLength(int value) {
    CommandConfig c = duplicate();
    c.maxLineLength = value;
    return c;
  }

  /** Returns a copy that captures at most this many bytes of each stream. */
  public CommandConfig withCaptureLimit(int value) {
    CommandConfig c = duplicate();
    c.captureLimit = value;
    return c;
  }

  /** Returns a copy that runs under a terminal of this size, on the streams left at their defaults. */
  public CommandConfig withTerminal(TerminalSpec value) {
    CommandConfig c = duplicate();
    c.terminal = value;
    return c;
  }

  /** Returns a copy that runs on this host, or on this machine for null. */
  public CommandConfig withHost(Host value) {
    CommandConfig c = duplicate();
    c.host = value;
    return c;
  }

  /**
   * Derives the spec of one run from this configuration. Streams left at their defaults are inherited, as in
   * Python; with {@code streamsStdout} (for {@code output()}, {@code lines()} and {@code pipe()}) stdout is piped
   * whatever its redirect, and stderr, unless redirected, is piped for the tail the error quotes. Input pipes
   * stdin, and capturing output pipes stdout and stderr. Streams left on a terminal are piped to its master side.
   *
   * @throws IllegalArgumentException if a terminal is asked for but neither stdout nor stderr is left on it
   */
  public RunSpec runSpec(boolean streamsStdout) {
    Redirect in = input != null ? Redirect.PIPE : stdin != null ? stdin : Redirect.INHERIT;
    Redirect out = streamsStdout || captureOutput ? Redirect.PIPE : stdout != null ? stdout : Redirect.INHERIT;
    Redirect err = captureOutput ? Redirect.PIPE
        : stderr != null ? stderr : streamsStdout ? Redirect.PIPE : Redirect.INHERIT;
    TerminalSpec tty = null;
    if (terminal != null) {
      tty = terminal.on(stdin == null && input == null, stdout == null && !captureOutput,
          !captureOutput && (stderr == null || (stderr == Redirect.STDOUT && stdout == null)));
      if (!tty.stdout() && !tty.stderr()) {
        throw new IllegalArgumentException("terminal() needs stdout or stderr left on the terminal, so that what"
            + " the terminal shows is read: " + this);
      }
      in = tty.stdin() ? Redirect.PIPE : in;
      out = tty.stdout() ? Redirect.PIPE : out;
      err = tty.stderr() ? (tty.stdout() ? Redirect.STDOUT : Redirect.PIPE) : err;
    }
    LaunchSpec launch = new LaunchSpec(argv, executable, cwd, environment, environmentAdditions,
        in, out, err, newSession || tty != null, inheritProcessGroup, passFds.clone(), pipeSize, tty,
        host == null ? null : host.name());
    return new RunSpec(launch, inputPublisher(), timeout, check, encoding, decodingErrors, killSignal, killGrace,
        drainTimeout, contextEnvironment, maxLineLength, captureLimit, unreadBufferLimit, HostLaunchers.of(host),
        okExitCodes.clone());
  }

  private Publisher<ByteBuffer> inputPublisher() {
    if (input == null) {
      return null;
    }
    if (input instanceof byte[] bytes) {
      return Mono.fromSupplier(() -> ByteBuffer.wrap(bytes));
    }
    if (input instanceof String text) {
      String command = host == null ? argv.toString() : argv + " on " + host.name();
      return new TextInput(text, encoding, decodingErrors, command);
    }
    @SuppressWarnings("unchecked")
    Publisher<ByteBuffer> publisher = (Publisher<ByteBuffer>) input;
    return Flux.from(publisher);
  }

  /** Returns the argv, with the redirects that differ from the defaults, as {@code Command} shows itself. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Command").append(argv);
    if (host != null) {
      s.append(" on ").append(host.name());
    }
    if (cwd != null) {
      s.append(" cwd=").append(cwd);
    }
    Redirect in = input != null ? Redirect.PIPE : stdin;
    if (in != null) {
      s.append(" stdin=").append(in);
    }
    Redirect out = captureOutput ? Redirect.PIPE : stdout;
    if (out != null) {
      s.append(" stdout=").append(out);
    }
    Redirect err = captureOutput ? Redirect.PIPE : stderr;
    if (err != null) {
      s.append(" stderr=").append(err);
    }
    if (terminal != null) {
      s.append(" terminal=").append(terminal.columns()).append('x').append(terminal.rows());
    }
    return s.toString();
  }
}

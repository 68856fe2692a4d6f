package dev.subprocess;

import dev.subprocess.internal.CommandConfig;
import dev.subprocess.internal.Engine;
import dev.subprocess.internal.RunSpec;
import dev.subprocess.internal.TerminalSpec;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Describes a process to run: its argv, environment, working directory, standard streams, input, time limit
 * and stop policy. The counterpart of the arguments of Python's {@code subprocess.run} and {@code Popen}.
 *
 * <p>A command is an immutable value: every configuring method returns a new command and leaves this one as it
 * was, so one command can be shared and run any number of times, from any thread. Nothing is started until a
 * publisher returned by {@link #run()} is subscribed to, and each subscription starts a new process.
 *
 * <p>As in Python, the three standard streams are inherited from this process unless redirected, no shell is
 * involved unless {@link #shell(String)} was used, and arguments reach the child byte for byte. Invalid
 * arguments are refused at once with {@link IllegalArgumentException} or {@link NullPointerException}, before
 * anything is spawned.
 *
 * <pre>{@code
 * CompletedProcess done = Command.of("git", "status", "--short")
 *     .cwd(repo)
 *     .captureOutput()
 *     .check()
 *     .timeout(Duration.ofSeconds(10))
 *     .run()
 *     .block();
 * }</pre>
 */
public final class Command {
  /** The stop policy's default grace between the kill signal and SIGKILL. */
  public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);
  /** How long, by default, output is still awaited after the process exited: see {@link #drainTimeout}. */
  public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(1);
  /** The longest line {@link #lines()} accepts by default, in characters (8 Mi): see {@link #maxLineLength}. */
  public static final int DEFAULT_MAX_LINE_LENGTH = 8 * 1024 * 1024;
  /**
   * The most bytes {@link #run()} captures of a stream by default: the most a {@code byte[]} holds. See
   * {@link #captureLimit}.
   */
  public static final int DEFAULT_CAPTURE_LIMIT = Integer.MAX_VALUE - 8;
  /** How many bytes of an unread stream of a started process are held, by default: see {@link #unreadBufferLimit}. */
  public static final int DEFAULT_UNREAD_BUFFER_LIMIT = 16 * 1024 * 1024;

  private final CommandConfig config;

  private Command(CommandConfig config) {
    this.config = config;
  }

  /**
   * Returns a command that runs {@code program} with {@code args}. The program is looked up on the PATH unless
   * it contains a slash.
   *
   * @param program the program to run, as a name to look up or a path
   * @param args the arguments that follow the program, passed unchanged
   * @return a command with the default configuration: streams inherited, no timeout, no check
   * @throws NullPointerException if {@code program}, {@code args} or any argument is null
   * @throws IllegalArgumentException if {@code program} is empty or any argument contains a NUL character
   */
  public static Command of(String program, String... args) {
    Objects.requireNonNull(program, "program");
    Objects.requireNonNull(args, "args");
    List<String> argv = new ArrayList<>(args.length + 1);
    argv.add(program);
    argv.addAll(Arrays.asList(args));
    return of(argv);
  }

  /**
   * Returns a command that runs the file {@code program} with {@code args}, as Python takes a path-like object
   * for the program. The program is the path as written: as in Python, a path without a directory (such as
   * {@code Path.of("ls")}) is looked up on the PATH, so write {@code Path.of("./tool")} for a file in the working
   * directory.
   *
   * <pre>{@code
   * Path tool = Path.of("build", "bin", "tool");
   * CompletedProcess done = Command.of(tool, "--version").captureOutput().run().block();
   * }</pre>
   *
   * @param program the file to run, as a path
   * @param args the arguments that follow the program, passed unchanged
   * @return a command with the default configuration: streams inherited, no timeout, no check
   * @throws NullPointerException if {@code program}, {@code args} or any argument is null
   * @throws IllegalArgumentException if {@code program} is empty or any argument contains a NUL character
   */
  public static Command of(Path program, String... args) {
    Objects.requireNonNull(program, "program");
    return of(program.toString(), args);
  }

  /**
   * Returns a command that runs {@code argv}: the program, then its arguments.
   *
   * @param argv the program followed by its arguments; copied
   * @return a command with the default configuration: streams inherited, no timeout, no check
   * @throws NullPointerException if {@code argv} or any element is null
   * @throws IllegalArgumentException if {@code argv} is empty, its program is empty, or any element contains a
   *     NUL character
   */
  public static Command of(List<String> argv) {
    Objects.requireNonNull(argv, "argv");
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv is empty: a command needs at least a program");
    }
    for (int i = 0; i < argv.size(); i++) {
      String arg = Objects.requireNonNull(argv.get(i), () -> "argv contains null");
      Validation.noNul(arg, i == 0 ? "program" : "argument " + i);
    }
    if (argv.get(0).isEmpty()) {
      throw new IllegalArgumentException("the program (argv[0]) is empty in " + argv);
    }
    return new Command(CommandConfig.of(List.copyOf(argv), Signals.SIGTERM, DEFAULT_KILL_GRACE,
        DEFAULT_DRAIN_TIMEOUT, DEFAULT_UNREAD_BUFFER_LIMIT, DEFAULT_MAX_LINE_LENGTH, DEFAULT_CAPTURE_LIMIT));
  }

  /**
   * Returns a command that runs {@code script} with {@code /bin/sh -c}, like Python's {@code shell=True}.
   * Quoting and expansion are the shell's business; prefer {@link #of} for arguments that come from users.
   *
   * @param script the shell command line, handed to {@code sh} as one argument
   * @return a command whose argv is {@code [/bin/sh, -c, script]}
   * @throws NullPointerException if {@code script} is null
   * @throws IllegalArgumentException if {@code script} contains a NUL character
   */
  public static Command shell(String script) {
    Objects.requireNonNull(script, "script");
    return of(List.of("/bin/sh", "-c", script));
  }

  /**
   * Returns a command that runs {@code script} with {@code /bin/sh -c}, giving it {@code arg0} as {@code $0} and
   * {@code args} as {@code $1}, {@code $2}, ...: Python's {@code Popen(['/bin/sh', '-c', script, arg0, *args])}.
   * The arguments reach the script unexpanded, so that it can quote them ({@code "$1"}, {@code "$@"}) however
   * they were written; {@code $0} names the script in the shell's own error messages.
   *
   * <pre>{@code
   * Command count = Command.shell("grep -c \"$1\" \"$2\"", "count", "ERROR", logFile.toString());
   * }</pre>
   *
   * @param script the shell command line, handed to {@code sh} as one argument
   * @param arg0 what the script sees as {@code $0}
   * @param args what the script sees as {@code $1} onwards
   * @return a command whose argv is {@code [/bin/sh, -c, script, arg0, args...]}
   * @throws NullPointerException if {@code script}, {@code arg0}, {@code args} or any argument is null
   * @throws IllegalArgumentException if any of them contains a NUL character
   */
  public static Command shell(String script, String arg0, String... args) {
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(arg0, "arg0");
    Objects.requireNonNull(args, "args");
    List<String> argv = new ArrayList<>(args.length + 4);
    argv.addAll(List.of("/bin/sh", "-c", script, arg0));
    argv.addAll(Arrays.asList(args));
    return of(argv);
  }

  /**
   * Returns the argv this command runs.
   *
   * @return the program followed by its arguments, as an unmodifiable list
   */
  public List<String> args() {
    return config.argv();
  }

  /**
   * Returns the directory the process starts in: the one given to {@link #cwd(Path)}, or this process's. For a
   * command {@linkplain #on(Host) on another host}, it is named {@code host:directory}, the home directory being
   * {@code ~}, as error messages name it.
   *
   * @return the working directory of the process, as an absolute path, or as named on its host
   */
  public Path workingDirectory() {
    Path cwd = config.cwd();
    if (config.host() != null) {
      return Path.of(config.host().name() + ":" + (cwd != null ? cwd : "~"));
    }
    return (cwd != null ? cwd : Path.of("")).toAbsolutePath();
  }

  /**
   * Returns the charset of the command's text: String input, {@link #lines()} and {@link CompletedProcess}'s text.
   *
   * @return the {@linkplain #encoding(Charset) encoding}, UTF-8 by default
   */
  public Charset encoding() {
    return config.encoding();
  }

  /**
   * Returns a copy that starts the process in {@code dir} instead of this process's working directory.
   *
   * @param dir the directory to start the process in; it must exist by then
   * @return a copy of this command that runs in {@code dir}
   * @throws NullPointerException if {@code dir} is null
   */
  public Command cwd(Path dir) {
    Objects.requireNonNull(dir, "dir");
    Validation.noNul(dir.toString(), "working directory");
    return new Command(config.withCwd(dir));
  }

  /**
   * Returns a copy whose process gets exactly {@code env} as its environment instead of inheriting this
   * process's (Python's {@code env=}). Variables added before with {@link #env(String, String)} are dropped.
   *
   * @param env the complete environment of the process, variable names to values; copied
   * @return a copy of this command with {@code env} as its whole environment
   * @throws NullPointerException if {@code env} or any name or value is null
   * @throws IllegalArgumentException if a name is empty or contains {@code =} or NUL, or a value contains NUL
   */
  public Command env(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    Map<String, String> copy = new LinkedHashMap<>();
    env.forEach((name, value) -> {
      Validation.envVariable(name, value);
      copy.put(name, value);
    });
    return new Command(config.withEnvironment(Collections.unmodifiableMap(copy)));
  }

  /**
   * Returns a copy that sets variable {@code name} to {@code value} on top of the environment configured so far
   * (the inherited one by default).
   *
   * @param name the name of the variable, without {@code =}
   * @param value the value of the variable, possibly empty
   * @return a copy of this command with the variable added or replaced
   * @throws NullPointerException if {@code name} or {@code value} is null
   * @throws IllegalArgumentException if {@code name} is empty or contains {@code =} or NUL, or {@code value}
   *     contains NUL
   */
  public Command env(String name, String value) {
    Validation.envVariable(name, value);
    Map<String, String> additions = new LinkedHashMap<>(config.environmentAdditions());
    additions.put(name, value);
    return new Command(config.withEnvironmentAdditions(Collections.unmodifiableMap(additions)));
  }

  /**
   * Returns a copy that executes {@code program} while passing argv unchanged, so that the child sees
   * {@code argv[0]} as given (Python's {@code executable=}).
   *
   * @param program the file to execute instead of looking up {@code argv[0]}
   * @return a copy of this command that executes {@code program}
   * @throws NullPointerException if {@code program} is null
   */
  public Command executable(Path program) {
    Objects.requireNonNull(program, "program");
    Validation.noNul(program.toString(), "executable");
    return new Command(config.withExecutable(program));
  }

  /**
   * Returns a copy whose stdin comes from {@code r}: {@link Redirect#PIPE} (written by the library, empty unless
   * {@link #input(byte[]) input} is given), {@link Redirect#DEVNULL}, {@link Redirect#INHERIT} or
   * {@link Redirect#from(Path)}.
   *
   * @param r the source of the process's stdin
   * @return a copy of this command with stdin redirected
   * @throws IllegalArgumentException if {@code r} is an output-only redirect, or if {@link #input(byte[]) input}
   *     was given, which pipes stdin itself (Python refuses {@code stdin=} with {@code input=} too)
   */
  public Command stdin(Redirect r) {
    Objects.requireNonNull(r, "redirect");
    if (!r.isInput()) {
      throw new IllegalArgumentException("stdin cannot be redirected to " + r + ": it is an input");
    }
    if (config.input() != null) {
      throw new IllegalArgumentException("input(...) feeds stdin through a pipe, so stdin cannot be redirected to "
          + r + " as well with stdin(" + r + "): use one of them");
    }
    return new Command(config.withStdin(r));
  }

  /**
   * Returns a copy whose stdout goes to {@code r}: {@link Redirect#PIPE} (captured by {@link #run()}),
   * {@link Redirect#DEVNULL}, {@link Redirect#INHERIT}, {@link Redirect#to(Path)} or
   * {@link Redirect#appendTo(Path)}.
   *
   * @param r the destination of the process's stdout
   * @return a copy of this command with stdout redirected
   * @throws IllegalArgumentException if {@code r} is {@link Redirect#STDOUT} or an input redirect, or if
   *     {@link #captureOutput()} was called, which pipes stdout itself
   */
  public Command stdout(Redirect r) {
    Objects.requireNonNull(r, "redirect");
    if (r == Redirect.STDOUT || !r.isOutput()) {
      throw new IllegalArgumentException("stdout cannot be redirected to " + r
          + (r == Redirect.STDOUT ? ": STDOUT is for stderr only" : ": it is an output"));
    }
    capturedAlready("stdout", r);
    return new Command(config.withStdout(r));
  }

  /**
   * Returns a copy whose stderr goes to {@code r}: any output redirect, or {@link Redirect#STDOUT} to send it
   * wherever stdout goes.
   *
   * @param r the destination of the process's stderr
   * @return a copy of this command with stderr redirected
   * @throws IllegalArgumentException if {@code r} is an input redirect, or if {@link #captureOutput()} was
   *     called, which pipes stderr itself
   */
  public Command stderr(Redirect r) {
    Objects.requireNonNull(r, "redirect");
    if (!r.isOutput()) {
      throw new IllegalArgumentException("stderr cannot be redirected to " + r + ": it is an output");
    }
    capturedAlready("stderr", r);
    return new Command(config.withStderr(r));
  }

  /**
   * Returns a copy that writes {@code data} to the process's stdin, then closes it (Python's {@code input=}).
   * The array is not copied: do not change it while the command may run. Sets stdin to {@link Redirect#PIPE}.
   *
   * @param data the bytes to feed to every process this command starts
   * @return a copy of this command with this input and a piped stdin, replacing any earlier input
   * @throws IllegalArgumentException if stdin was redirected with {@link #stdin(Redirect)}, to any redirect
   */
  public Command input(byte[] data) {
    Objects.requireNonNull(data, "data");
    return withInput(data, "input(...)");
  }

  /**
   * Returns a copy that writes {@code text}, encoded with the command's {@linkplain #encoding(Charset)
   * encoding}, to the process's stdin, then closes it. Sets stdin to {@link Redirect#PIPE}. As Python's
   * {@code input=} in text mode, the text is encoded strictly unless {@link #encodingErrors} says otherwise: a
   * character the encoding cannot carry (or a lone surrogate) fails the run with an
   * {@link IllegalArgumentException} naming the character, its index, the encoding and the command, before the
   * process is started; with {@link CodingErrorAction#REPLACE} the encoding's replacement is written instead, and
   * with {@link CodingErrorAction#IGNORE} the character is dropped.
   *
   * @param text the text to feed to every process this command starts
   * @return a copy of this command with this input and a piped stdin, replacing any earlier input
   * @throws IllegalArgumentException if stdin was redirected with {@link #stdin(Redirect)}, to any redirect
   */
  public Command input(String text) {
    Objects.requireNonNull(text, "text");
    return withInput(text, "input(...)");
  }

  /**
   * Returns a copy that streams {@code data} into the process's stdin with backpressure, then closes it. The
   * publisher is subscribed once per process; a process that stops reading early (broken pipe) ends the feed
   * quietly and cancels it. Sets stdin to {@link Redirect#PIPE}. The publisher sees the Context of the subscriber
   * that started the process (and, with automatic context propagation, its ThreadLocals around each request).
   *
   * @param data the buffers to stream to stdin, subscribed to anew for each process
   * @return a copy of this command with this input and a piped stdin, replacing any earlier input
   * @throws IllegalArgumentException if stdin was redirected with {@link #stdin(Redirect)}, to any redirect
   */
  public Command input(Publisher<ByteBuffer> data) {
    Objects.requireNonNull(data, "data");
    return withInput(data, "input(...)");
  }

  private Command withInput(Object data, String call) {
    Validation.inputFits(call, config.stdin());
    return new Command(config.withInput(data));
  }

  /**
   * Returns a copy that captures stdout and stderr (both {@link Redirect#PIPE}), like Python's capture_output.
   * As in Python, it does not combine with a redirect of its own for either stream: to capture stderr mixed into
   * stdout, write {@code stdout(Redirect.PIPE).stderr(Redirect.STDOUT)} instead.
   *
   * @return a copy of this command with stdout and stderr piped
   * @throws IllegalArgumentException if stdout or stderr was redirected with {@link #stdout(Redirect)} or
   *     {@link #stderr(Redirect)}
   */
  public Command captureOutput() {
    Redirect redirected = config.stdout() != null ? config.stdout() : config.stderr();
    if (redirected != null) {
      String stream = config.stdout() != null ? "stdout" : "stderr";
      throw new IllegalArgumentException("captureOutput() pipes stdout and stderr, so it cannot be combined with "
          + stream + "(" + redirected + "), which redirects " + stream + " already: use one of them"
          + (config.stdout() == null && config.stderr() == Redirect.STDOUT
              ? " (stdout(Redirect.PIPE).stderr(Redirect.STDOUT) captures both mixed)" : ""));
    }
    return new Command(config.withCaptureOutput());
  }

  private void capturedAlready(String stream, Redirect r) {
    if (config.captureOutput()) {
      throw new IllegalArgumentException(stream + "(" + r + ") cannot be combined with captureOutput(), which pipes"
          + " stdout and stderr already: use one of them"
          + (r == Redirect.STDOUT ? " (stdout(Redirect.PIPE).stderr(Redirect.STDOUT) captures both mixed)" : ""));
    }
  }

  /**
   * Returns a copy whose process is stopped when it runs longer than {@code limit}: the run then fails with
   * {@link TimeoutExpiredException}, after the process was stopped and reaped.
   *
   * <p>A limit of zero or less has passed as soon as the process starts, as Python's {@code timeout=0} and
   * {@code timeout=-1} have: the process is started, then stopped at once, and the run fails with
   * {@link TimeoutExpiredException} whose message quotes the limit as given, even when the process was quick
   * enough to exit by itself.
   *
   * @param limit how long the process may run
   * @return a copy of this command with this time limit
   * @throws IllegalArgumentException if {@code limit} is beyond what a timer holds, either way (about 292 years)
   */
  public Command timeout(Duration limit) {
    Validation.timeout(limit);
    return new Command(config.withTimeout(limit));
  }

  /**
   * Returns a copy whose {@link #run()} fails with {@link CalledProcessException} on a non-zero return code.
   *
   * @return a checking copy of this command
   */
  public Command check() {
    return new Command(config.withCheck());
  }

  /**
   * Returns a copy that takes the return codes {@code codes}, besides zero, as success: {@link #check()}ed runs
   * pass with them, and {@link #output()} and {@link #lines()} complete instead of failing with
   * {@link CalledProcessException}. Meant for the programs whose status says more than pass or fail, such as
   * {@code grep} (1: no line matched) and {@code diff} (1: the files differ). The result's
   * {@link CompletedProcess#returnCode()} still tells them apart; {@link CompletedProcess#checkReturnCode()},
   * which knows nothing of the command, accepts only zero, as Python's {@code check_returncode()} does. In a
   * pipeline, the codes apply to this stage in a checked {@link Pipeline#run()}, {@link Pipeline#output()} and
   * {@link Pipeline#lines()}, though not in {@link CompletedPipeline#checkReturnCodes()}.
   *
   * <pre>{@code
   * Flux<String> errors = Command.of("grep", "ERROR", "app.log").okExitCodes(1).lines();  // none is no error
   * }</pre>
   *
   * @param codes the exit statuses that are no failure, replacing any given before; zero is always one
   * @return a copy of this command with these return codes taken as success
   * @throws NullPointerException if {@code codes} is null
   */
  public Command okExitCodes(int... codes) {
    Objects.requireNonNull(codes, "codes");
    return new Command(config.withOkExitCodes(codes.clone()));
  }

  /**
   * Returns a copy that encodes String input and decodes text output with {@code charset} (UTF-8 by default).
   *
   * @param charset the charset of {@link #input(String)}, {@link #lines()} and {@link CompletedProcess}'s text
   * @return a copy of this command with this encoding
   */
  public Command encoding(Charset charset) {
    Objects.requireNonNull(charset, "charset");
    return new Command(config.withEncoding(charset));
  }

  /**
   * Returns a copy whose stop policy (on timeout or cancellation) starts with {@code signal} instead of SIGTERM,
   * then sends SIGKILL if the process is still alive after the {@linkplain #killGrace(Duration) grace}.
   *
   * @param signal the first signal of the stop policy, such as {@link Signals#SIGINT}
   * @return a copy of this command with this kill signal
   * @throws IllegalArgumentException if {@code signal} is not between 1 and 64
   */
  public Command killSignal(int signal) {
    Validation.signal(signal);
    return new Command(config.withKillSignal(signal));
  }

  /**
   * Returns a copy whose stop policy waits {@code grace} after the kill signal before it sends SIGKILL (five
   * seconds by default). A zero grace sends SIGKILL at once.
   *
   * @param grace how long the process may take to exit after the kill signal; zero or more
   * @return a copy of this command with this grace period
   * @throws IllegalArgumentException if {@code grace} is negative
   */
  public Command killGrace(Duration grace) {
    Validation.notNegative(grace, "killGrace");
    return new Command(config.withKillGrace(grace));
  }

  /**
   * Returns a copy that waits at most {@code limit} for the end of output once the process has exited (one
   * second by default). A background grandchild that inherited the pipes can keep them open long after the
   * process exited; past this limit the pipes are closed and the run completes with what was read. The wait
   * restarts with every chunk read, so a steady stream is never cut.
   *
   * @param limit how long to wait for output after the exit; zero or more
   * @return a copy of this command with this drain timeout
   * @throws IllegalArgumentException if {@code limit} is negative
   */
  public Command drainTimeout(Duration limit) {
    Validation.notNegative(limit, "drainTimeout");
    return new Command(config.withDrainTimeout(limit));
  }

  /**
   * Returns a copy that holds at most {@code bytes} of a piped output stream of a {@linkplain #start() started}
   * or {@linkplain #execute executed} process that has no subscriber yet (16 MiB by default), so that the stream
   * cannot block the child while its owner reads another stream, writes stdin or waits for the exit.
   *
   * <p>A stream is held only from the moment the owner reads another stream of the process, writes its stdin,
   * or waits for it ({@link RunningProcess#exitCode()}, {@link RunningProcess#poll()}); until then nothing is read
   * and a full pipe holds the child back, as backpressure does. Its subscriber, when it comes, gets what was held
   * first and reads the rest with backpressure. Past the limit, what was held is dropped and the stream is read
   * on and discarded: the child goes on running, and the stream's later subscriber fails with
   * {@link IllegalStateException} naming this limit. Python's {@code Popen} would deadlock instead.
   *
   * @param bytes the most bytes held for each unread stream; zero or more (zero holds nothing)
   * @return a copy of this command with this limit
   * @throws IllegalArgumentException if {@code bytes} is negative
   */
  public Command unreadBufferLimit(int bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("unreadBufferLimit must be zero or more, got " + bytes);
    }
    return new Command(config.withUnreadBufferLimit(bytes));
  }

  /**
   * Returns a copy whose process leads a new session and process group ({@code setsid}, Python's
   * {@code start_new_session}); the stop policy then signals the whole group.
   *
   * @return a copy of this command whose process calls {@code setsid}
   */
  public Command newSession() {
    return new Command(config.withNewSession());
  }

  /**
   * Returns a copy whose process stays in this JVM's process group instead of leading a group of its own.
   *
   * <p>By default every child leads a new process group (Python's {@code process_group=0}), so that the stop
   * policy (a timeout, a cancelled subscription, the JVM's exit) signals the child and every descendant still in
   * its group. A child that stays in the JVM's group receives what the terminal sends to the JVM (Ctrl-C's
   * SIGINT, Ctrl-Z's SIGTSTP) and takes part in the shell's job control as the JVM does; the stop policy then
   * signals the child and the descendants it finds under it at that moment. A child whose stdin is an inherited
   * terminal stays in the JVM's group anyway, as if this were set: in a group of its own it would be stopped by
   * SIGTTIN at its first read. The jdk backend cannot set a process group, so there every child stays in the
   * JVM's group.
   *
   * @return a copy of this command whose process stays in this JVM's process group
   */
  public Command inheritProcessGroup() {
    return new Command(config.withInheritProcessGroup());
  }

  /**
   * Returns a copy that keeps the file descriptors {@code fds} open in the child under the same numbers
   * (Python's {@code pass_fds}); every other descriptor but 0, 1 and 2 is closed in the child.
   *
   * @param fds the descriptors to pass, each 3 or more; replaces any passed before
   * @return a copy of this command that passes {@code fds} to the child
   * @throws IllegalArgumentException if a descriptor is negative or one of 0, 1 and 2
   */
  public Command passFds(int... fds) {
    Objects.requireNonNull(fds, "fds");
    for (int fd : fds) {
      if (fd < 3) {
        throw new IllegalArgumentException("passFds takes descriptors above 2, got " + fd);
      }
    }
    return new Command(config.withPassFds(fds.clone()));
  }

  /**
   * Returns a copy that asks for pipes of {@code bytes} capacity (Python's {@code pipesize}, Linux's
   * {@code F_SETPIPE_SZ}). A performance hint: a backend that cannot set it ignores it.
   *
   * @param bytes the capacity wanted for each pipe, in bytes; positive
   * @return a copy of this command with this pipe size hint
   * @throws IllegalArgumentException if {@code bytes} is not positive
   */
  public Command pipeSize(int bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("pipeSize must be positive, got " + bytes);
    }
    return new Command(config.withPipeSize(bytes));
  }

  /**
   * Returns a copy whose {@link #lines()} accepts lines of at most {@code chars} characters (8 Mi by default,
   * {@link #DEFAULT_MAX_LINE_LENGTH}). A longer line is never held in memory: the stream fails with
   * {@link OutputLimitException} naming the limit once the line passes it, and the process is stopped. This keeps
   * a program that writes one endless line (a binary file, {@code yes | tr -d '\n'}) from filling the heap.
   *
   * <pre>{@code
   * Command.of("jq", "-c", ".[]", "big.json").maxLineLength(64 * 1024 * 1024).lines()
   * }</pre>
   *
   * @param chars the most characters a line may have, without its terminator; positive
   * @return a copy of this command with this line length limit
   * @throws IllegalArgumentException if {@code chars} is not positive
   */
  public Command maxLineLength(int chars) {
    if (chars <= 0) {
      throw new IllegalArgumentException("maxLineLength must be positive, got " + chars);
    }
    return new Command(config.withMaxLineLength(chars));
  }

  /**
   * Returns a copy whose {@link #run()} captures at most {@code bytes} bytes of each piped stream; by default
   * ({@link #DEFAULT_CAPTURE_LIMIT}) as much as a {@code byte[]} holds, just under 2 GiB. A stream that brings
   * more fails the run with {@link OutputLimitException} naming the stream and the limit, and the process is
   * stopped; read such output as a stream with {@link #output()} or redirect it to a file instead.
   *
   * <pre>{@code
   * Command.of("curl", "-s", url).captureOutput().captureLimit(10 * 1024 * 1024).run()
   * }</pre>
   *
   * @param bytes the most bytes captured of stdout, and of stderr; positive, at most
   *     {@link #DEFAULT_CAPTURE_LIMIT}
   * @return a copy of this command with this capture limit
   * @throws IllegalArgumentException if {@code bytes} is not positive or above {@link #DEFAULT_CAPTURE_LIMIT}
   */
  public Command captureLimit(int bytes) {
    if (bytes <= 0 || bytes > DEFAULT_CAPTURE_LIMIT) {
      throw new IllegalArgumentException("captureLimit must be between 1 and " + DEFAULT_CAPTURE_LIMIT
          + " (the most a byte array holds), got " + bytes);
    }
    return new Command(config.withCaptureLimit(bytes));
  }

  /**
   * Returns a copy whose process runs under a new pseudo-terminal of 80 columns by 24 rows: see
   * {@link #terminal(int, int)}.
   *
   * @return a copy of this command that runs under a terminal
   */
  public Command terminal() {
    return terminal(80, 24);
  }

  /**
   * Returns a copy whose process runs under a new pseudo-terminal of {@code columns} by {@code rows}, as it would
   * in a terminal window: programs then line-buffer their output, show prompts, colours and progress, and read
   * passwords. The process leads a new session (as with {@link #newSession()}) whose controlling terminal is the
   * new one, and this process keeps only the terminal's master side.
   *
   * <p>The standard streams left at their defaults are the terminal; those redirected explicitly (including by
   * {@link #captureOutput()} and {@link #input(byte[]) input}, which pipe) stay as redirected, so a program can
   * have its stderr piped apart, or its stdin fed from a file, while its stdout is the terminal. What the process
   * writes to the terminal, echoed input included and with {@code \n} turned into {@code \r\n} as terminals do,
   * is its stdout (its stderr when only stderr is on the terminal): {@link #run()} captures it,
   * {@link #output()} streams it with the same backpressure as a pipe, and it ends when the process and every
   * descendant have closed the terminal. Input written to stdin reaches the process as typed keys; closing stdin
   * types the end-of-file character (Ctrl-D), as {@code pexpect}'s {@code sendeof} does.
   * {@link RunningProcess#resize(int, int)} changes the window size and sends SIGWINCH.
   *
   * <p>The linux backend supports it; the jdk backend refuses it with {@link UnsupportedOperationException}.
   * Pipelines do not take it.
   *
   * @param columns the window's width in characters, 1 to 65535
   * @param rows the window's height in lines, 1 to 65535
   * @return a copy of this command that runs under a terminal of this size
   * @throws IllegalArgumentException if a dimension is out of range
   */
  public Command terminal(int columns, int rows) {
    TerminalSpec.checkSize(columns, rows);
    return new Command(config.withTerminal(new TerminalSpec(columns, rows, true, true, true)));
  }

  /**
   * Returns a copy that decodes and encodes text with {@code action} for malformed or unmappable input, as Python's
   * {@code errors=} does: {@link CodingErrorAction#REPORT} fails (the default, Python's {@code errors="strict"}),
   * {@link CodingErrorAction#REPLACE} puts U+FFFD in its place ({@code errors="replace"}; in encoded text, the
   * encoding's replacement, such as {@code ?}), and {@link CodingErrorAction#IGNORE} drops it. Applies to
   * {@link #lines()}, to the text accessors of the results ({@link CompletedProcess#stdoutText()},
   * {@link CompletedProcess#stderrText()}), and to the text written to stdin by {@link #input(String)},
   * {@link RunningProcess#write(String)} and {@link RunningProcess#communicate(String)}.
   *
   * @param action what the decoder does with bytes that are not valid in the encoding, and the encoder with
   *     characters the encoding cannot carry
   * @return a copy of this command with this decoding policy
   */
  public Command encodingErrors(CodingErrorAction action) {
    Objects.requireNonNull(action, "action");
    return new Command(config.withDecodingErrors(action));
  }

  /**
   * Returns a copy that sets environment variable {@code variable} from the subscriber's Reactor {@code Context}:
   * at each subscription, if the Context holds {@code key}, the variable is set to its value's
   * {@code toString()} (on top of the environment configured so far); otherwise it is left alone. Use it to hand
   * a trace id to the child.
   *
   * @param variable the name of the environment variable to set
   * @param key the {@code Context} key whose value the variable gets; not null
   * @return a copy of this command that reads {@code key} at each subscription
   * @throws IllegalArgumentException if {@code variable} is empty or contains {@code =} or NUL
   */
  public Command envFromContext(String variable, Object key) {
    Validation.envVariable(variable, "");
    Objects.requireNonNull(key, "key");
    Map<String, Object> map = new LinkedHashMap<>(config.contextEnvironment());
    map.put(variable, key);
    return new Command(config.withContextEnvironment(Collections.unmodifiableMap(map)));
  }

  /**
   * Returns a {@code Mono} that runs the process to completion each time it is subscribed to: Python's
   * {@code subprocess.run}.
   *
   * <p>Streams redirected to {@link Redirect#PIPE} are captured whole into the {@link CompletedProcess}; input is
   * written while output is read, so no size of input or output can deadlock. The {@code Mono} emits once the
   * process has exited and its captured output has ended (or the {@linkplain #drainTimeout drain timeout} has
   * passed). It fails with {@link ProcessStartException} when the process cannot start, with
   * {@link TimeoutExpiredException} when the {@linkplain #timeout timeout} passes, and, for a {@link #check()}ed
   * command, with {@link CalledProcessException} on a non-zero return code.
   *
   * <p>Cancelling the subscription stops the process with the stop policy, reaps it and closes its pipes.
   *
   * @return a cold {@code Mono} of the finished process, with the captured output
   */
  public Mono<CompletedProcess> run() {
    return Engine.run(runSpec(Use.RUN));
  }

  /**
   * Returns a {@code Flux} of the process's stdout, read as it arrives and only as fast as the subscriber
   * requests: Python's {@code check_output}, streamed. Each subscription starts a new process.
   *
   * <p>stdout is piped whatever its redirect. stderr, unless redirected, is piped and drained into a bounded tail
   * (the last 64 KiB) that only the error quotes. A chunk is read from the pipe only when the subscriber has
   * requested one, so a subscriber that stops requesting leaves the child blocked on a full pipe, holding at most
   * one chunk. Every emitted buffer belongs to the subscriber.
   *
   * <p>After the data, the {@code Flux} completes when the process returned zero, and fails with
   * {@link CalledProcessException} (with the stderr tail) otherwise, with {@link TimeoutExpiredException} after
   * the {@linkplain #timeout timeout}, or with {@link ProcessStartException}. Cancelling the subscription, or an
   * error downstream, stops the process with the stop policy and reaps it.
   *
   * <p>Signals arrive on the thread that subscribed or requested, or on one of the library's threads (the linux
   * backend's event loop, {@code subprocess-epoll}, which serves every process of the JVM, or a
   * {@code subprocess-jdk-N} thread). These are Reactor non-blocking threads: {@code block()} there fails at once
   * with {@link IllegalStateException}, and any other blocking call there stalls other processes. Move blocking
   * work off them with {@code publishOn(Schedulers.boundedElastic())}.
   *
   * @return a cold {@code Flux} of stdout chunks, for one process per subscription
   */
  public Flux<ByteBuffer> output() {
    return Engine.output(runSpec(Use.OUTPUT));
  }

  /**
   * Streams the process's stdout as {@link #output()} does, but lends each chunk to {@code read} instead of
   * handing it over, and emits what {@code read} returns. The chunk is valid only during the call: the library
   * reads the pipe into a buffer it reuses, so {@code read} must copy whatever it keeps. The chunk is the bytes
   * from its position to its limit; its backing {@code array()}, shared with other reads, holds other bytes
   * around them. That saves writing every
   * byte into a fresh array, the cost that separates {@link #output()} from a plain read loop when the output is
   * only looked at: counted, hashed, parsed, written elsewhere. Backpressure, the checks after the data, timeouts and
   * cancellation are those of {@link #output()}.
   *
   * <p>{@code read} runs on the thread that reads the pipe, the threads {@link #output()} names, before anything
   * downstream sees the chunk: it must not block. What it throws fails the stream and stops the process; it must
   * not return null.
   *
   * <pre>{@code
   * MessageDigest sha = MessageDigest.getInstance("SHA-256");
   * Mono<Long> hashed = Command.of("tar", "-c", "data")
   *     .output(chunk -> { int n = chunk.remaining(); sha.update(chunk); return (long) n; })
   *     .reduce(0L, Long::sum);                // the bytes hashed; sha.digest() once it completes
   * }</pre>
   *
   * @param read what to make of each chunk, lent for the call only
   * @param <T> what {@code read} makes of a chunk
   * @return a cold {@code Flux} of {@code read}'s results, for one process per subscription
   */
  public <T> Flux<T> output(Function<? super ByteBuffer, ? extends T> read) {
    Objects.requireNonNull(read, "read");
    return Engine.output(runSpec(Use.OUTPUT), read);
  }

  /**
   * Returns a {@code Flux} of the lines of the process's stdout, as {@link #output()} streams it: decoded with
   * the command's {@linkplain #encoding(Charset) encoding} (strictly unless {@link #encodingErrors} says
   * otherwise) and split on {@code \n}, {@code \r\n} and {@code \r}, the terminators removed. A last line
   * without a terminator is emitted too. Chunk boundaries never split a character or a line ending.
   *
   * <p>Lines arrive on the threads {@link #output()} names, Reactor non-blocking threads: {@code publishOn} a
   * scheduler such as {@code Schedulers.boundedElastic()} before blocking work, such as {@code block()} on
   * another command.
   *
   * @return a cold {@code Flux} of stdout lines, without their terminators
   */
  public Flux<String> lines() {
    return Engine.lines(runSpec(Use.OUTPUT));
  }

  /**
   * Returns a {@code Mono} that starts the process and hands it over: Python's {@code Popen}. The caller owns
   * the process: cancelling nothing stops it after it was emitted (a {@link #timeout} still does). Streams are
   * redirected as configured (inherited by default); piped ones should be read, or left to
   * {@link RunningProcess#communicate()}. Input given with {@link #input(byte[]) input} is written at once.
   *
   * <p>No combination of pipes deadlocks: once the owner reads one stream, writes stdin or waits for the exit,
   * the piped streams nobody reads yet are held for their later subscribers, up to the
   * {@linkplain #unreadBufferLimit(int) unread buffer limit}.
   *
   * @return a cold {@code Mono} of the started process, which the subscriber then controls
   */
  public Mono<RunningProcess> start() {
    return Engine.start(runSpec(Use.RUN));
  }

  /**
   * Returns a {@code Flux} that starts the process, hands it to {@code body}, and emits what the publisher that
   * {@code body} returns emits. The process lives exactly as long as that publisher: when it completes, fails or
   * is cancelled, a process still running is stopped with the stop policy and reaped.
   *
   * <p>Streams are redirected as configured. A piped output stream that the body reads only after another step
   * is held for it meanwhile, as for {@link #start()}, up to the {@linkplain #unreadBufferLimit(int) unread buffer
   * limit}, so that it never blocks the child; what is still held when the body's publisher ends is dropped.
   *
   * @param <T> the type of the elements the body emits
   * @param body the function that uses the started process and returns the publisher of the results
   * @return a cold {@code Flux} of what the body's publisher emits
   */
  public <T> Flux<T> execute(Function<? super RunningProcess, ? extends Publisher<T>> body) {
    Objects.requireNonNull(body, "body");
    return Engine.execute(runSpec(Use.RUN), body);
  }

  /**
   * Returns {@code stdin} run through this process: the command as a stream operator, as in
   * {@code flux.transform(Command.of("gzip")::pipe)}. Each subscription starts a new process, feeds it
   * {@code stdin} with backpressure while it emits the process's stdout as {@link #output()} does. A process that
   * exits or closes stdin early ends the feed quietly and cancels {@code stdin}; an error of {@code stdin} stops
   * the process and fails the result.
   *
   * <p>{@code stdin} is subscribed with the subscriber's Context (and, with automatic context propagation, its
   * ThreadLocals restored around each request). The chunks arrive on the threads {@link #output()} names.
   *
   * @param stdin the buffers to feed to the process, subscribed to once per process
   * @return a cold {@code Flux} of the process's stdout chunks
   */
  public Flux<ByteBuffer> pipe(Publisher<ByteBuffer> stdin) {
    Objects.requireNonNull(stdin, "stdin");
    return Engine.output(withInput(stdin, "pipe(...)").runSpec(Use.OUTPUT));
  }

  /**
   * Returns a pipeline of this command followed by {@code next}, this stdout joined to the next stdin by an OS
   * pipe: the shell's {@code this | next}. The bytes between the stages never pass through this process.
   *
   * @param next the command that reads this command's stdout
   * @return a two-stage pipeline
   */
  public Pipeline pipeTo(Command next) {
    return Pipeline.of(this, next);
  }

  /**
   * Returns a copy that runs on {@code host} instead of this machine. Every operation then works there with the
   * same semantics: one remote process per subscription, demand reaching the remote child, timeouts and
   * cancellation stopping it. Options a host cannot honour are refused when a run starts, before connecting,
   * with a message naming the option.
   *
   * <pre>{@code
   * Flux<String> lines = Command.of("journalctl", "-f").on(buildHost).lines();
   * }</pre>
   *
   * @param host where the process runs; {@link Host#local()} is this machine, the default
   * @return a copy of this command bound to {@code host}
   * @throws NullPointerException if {@code host} is null
   */
  public Command on(Host host) {
    Objects.requireNonNull(host, "host");
    return new Command(config.withHost(host == Host.local() ? null : host));
  }

  /**
   * Returns where this command runs.
   *
   * @return the host bound with {@link #on(Host)}, or {@link Host#local()}
   */
  public Host host() {
    return config.host() != null ? config.host() : Host.local();
  }

  /** Says what a run makes of the streams left at their defaults. */
  enum Use {
    /** Defaults are inherited, as in Python. */
    RUN,
    /** stdout is piped; stderr, unless redirected, is piped into a tail. */
    OUTPUT
  }

  RunSpec runSpec(Use use) {
    return config.runSpec(use == Use.OUTPUT);
  }

  boolean hasStdin() {
    return config.stdin() != null || config.input() != null;
  }

  boolean hasStdout() {
    return config.stdout() != null || config.captureOutput();
  }

  boolean hasStderr() {
    return config.stderr() != null || config.captureOutput();
  }

  /** Returns the argv, with the redirects that differ from the defaults. */
  @Override
  public String toString() {
    return config.toString();
  }
}

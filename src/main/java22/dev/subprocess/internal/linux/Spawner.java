package dev.subprocess.internal.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.subprocess.internal.ChildProcess;
import dev.subprocess.internal.LaunchSpec;
import dev.subprocess.internal.NativeText;
import dev.subprocess.internal.PipeLimit;
import dev.subprocess.internal.SignalNumbers;
import dev.subprocess.internal.StartFailure;
import dev.subprocess.internal.Stream;
import dev.subprocess.internal.TerminalSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts one process with {@code posix_spawn}: the three standard streams set up with file actions (pipes made
 * with {@code pipe2(O_CLOEXEC)}, this process's ends made non-blocking; files opened here so that an error names
 * the file), the working directory with {@code addchdir_np}, every other descriptor but the passed ones closed,
 * the signal mask emptied and every signal disposition reset (Python's {@code restore_signals}), and a process
 * group of its own ({@code POSIX_SPAWN_SETPGROUP}) or a new session on request. The child is then watched through
 * a pidfd; a child that cannot be watched is killed and reaped before the start fails. A child under a
 * pseudo-terminal opens the slave onto the streams on the terminal, in its new session, and this process keeps
 * the master.
 *
 * <p>A child leads its own process group, so that the stop policy reaches its descendants, unless the command
 * keeps it in this process's group or its stdin is this process's terminal: a background group that reads the
 * terminal is stopped by SIGTTIN.
 */
final class Spawner {
  /** The read size of a pipe of the default capacity. */
  static final int DEFAULT_CHUNK = 64 * 1024;

  private static final Charset CHARSET = Charset.forName(
      System.getProperty("sun.jnu.encoding", "UTF-8"), StandardCharsets.UTF_8);

  private final List<Integer> childSide = new ArrayList<>();
  private final List<Integer> ours = new ArrayList<>();
  private final LaunchSpec spec;
  private PseudoTerminal terminal;

  private Spawner(LaunchSpec spec) {
    this.spec = spec;
  }

  /**
   * Starts {@code spec}. {@code stdinFd} and {@code stdoutFd}, when not negative, replace the spec's stdin and
   * stdout (the pipes between the stages of a pipeline); the caller keeps and closes them.
   */
  static ChildProcess spawn(LaunchSpec spec, int stdinFd, int stdoutFd) {
    return new Spawner(spec).start(stdinFd, stdoutFd);
  }

  private ChildProcess start(int stdinFd, int stdoutFd) {
    Map<String, String> environment = environment();
    String program = spec.file();
    int[] stdin = {-1, -1, 0};
    int[] stdout = {-1, -1, 0};
    int[] stderr = {-1, -1, 0};
    long pid;
    boolean group = spec.newSession() || !spec.inheritProcessGroup()
        && !(stdinFd < 0 && spec.stdinStream().type() == Stream.Type.INHERIT && Terminal.STDIN_IS_TTY);
    TerminalSpec tty = spec.terminal();
    try (Arena arena = Arena.ofConfined()) {
      if (tty != null) {
        terminal = PseudoTerminal.open(tty);
      }
      if (stdinFd >= 0) {
        stdin[0] = stdinFd;
      } else if (tty == null || !tty.stdin()) {
        stdin = stream(arena, spec.stdinStream(), true, "stdin");
      }
      if (stdoutFd >= 0) {
        stdout[0] = stdoutFd;
      } else if (tty == null || !tty.stdout()) {
        stdout = stream(arena, spec.stdoutStream(), false, "stdout");
      }
      if (spec.stderrStream().type() != Stream.Type.STDOUT && (tty == null || !tty.stderr())) {
        stderr = stream(arena, spec.stderrStream(), false, "stderr");
      }
      pid = posixSpawn(arena, program, environment, stdin[0], stdout[0], stderr[0], group);
    } catch (NativeException e) {
      ours.forEach(Posix::close);
      closeTerminal();
      throw new StartFailure(spec, e.errorText(), e.errorName(), e);
    } catch (RuntimeException e) {
      ours.forEach(Posix::close);
      closeTerminal();
      throw e;
    } finally {
      childSide.forEach(Posix::close);
    }
    int pidfd = -1;
    List<EventLoop.Watch> watched = new ArrayList<>(3);
    NativeChild child;
    try {
      pidfd = Posix.pidfdOpen(pid);
      NativePipeSink in = stdin[1] < 0 ? null : watch(watched, new NativePipeSink(stdin[1]));
      boolean growable = spec.pipeSize() == 0;
      NativePipeSource out = stdout[1] < 0 ? null
          : watch(watched, new NativePipeSource(stdout[1], stdout[2], growable));
      NativePipeSource err = stderr[1] < 0 ? null
          : watch(watched, new NativePipeSource(stderr[1], stderr[2], growable));
      child = new NativeChild(pid, pidfd, group, spec.newSession(), in, out, err);
    } catch (Throwable e) {
      unwatched(pid, pidfd, watched);
      closeTerminal();
      if (e instanceof VirtualMachineError fatal) {
        throw fatal;
      }
      String why = e instanceof NativeException n ? n.call() + ": " + n.errorText() : e.toString();
      throw new StartFailure(spec, "it started as process " + pid
          + " but could not be watched, so it was killed (" + why + ")",
          e instanceof NativeException n ? n.errorName() : null, e);
    }
    if (terminal == null) {
      return child;
    }
    try {
      return underTerminal(child, tty);
    } catch (NativeException e) {
      closeTerminal();
      throw new StartFailure(spec, e.errorText(), e.errorName(), e);
    }
  }

  /**
   * Binds what a launch calls, ahead of the first launch; harmless if it fails (the launch then reports the
   * failure) or races a launch (a class is initialised once, by whichever thread comes first).
   */
  static void bind() {
    try {
      // What every launch calls; pipes, files and descriptors to pass bind theirs when first used.
      Object[] bound = {Libc.FaInit.MH, Libc.FaAddCloseFrom.MH, Libc.AttrSetSigMask.MH, Libc.AttrSetFlags.MH,
          Libc.PosixSpawn.MH, Libc.Syscall6.MH, InheritedEnvironment.BLOCK, Terminal.STDIN_IS_TTY};
      EventLoop.get();
    } catch (Throwable ignored) {
      // The launch that needs what failed to bind reports it.
    }
  }

  private static <W extends EventLoop.Watch> W watch(List<EventLoop.Watch> watched, W watch) {
    watched.add(watch);
    return watch;
  }

  /**
   * Kills and reaps a child that started but cannot be watched, and closes what was opened for it: its pid is
   * still this process's unreaped child, so neither the signal nor the wait can reach another process.
   */
  private void unwatched(long pid, int pidfd, List<EventLoop.Watch> watched) {
    Posix.kill(pid, SignalNumbers.SIGKILL);
    Posix.awaitAndReap(pid);
    Posix.close(pidfd);
    for (EventLoop.Watch watch : watched) {
      EventLoop.get().close(watch);
      ours.remove(Integer.valueOf(watch.fd));
    }
    ours.forEach(Posix::close);
  }

  /** Whether this process's stdin is a terminal, asked once: Java never changes its descriptor 0. */
  private static final class Terminal {
    static final boolean STDIN_IS_TTY = Posix.isatty(0);
  }

  /** Wraps {@code child} with the terminal's input and output, in the slots of the streams on the terminal. */
  private ChildProcess underTerminal(NativeChild child, TerminalSpec tty) throws NativeException {
    TerminalOutput output = null;
    try {
      output = new TerminalOutput(terminal.duplicate());
      TerminalInput input = tty.stdin() ? new TerminalInput(terminal.duplicate()) : null;
      return new TerminalChild(child, terminal, input, output, tty.stdout());
    } catch (NativeException e) {
      // Nobody could read or write the terminal: stop the session rather than leave it behind.
      if (output != null) {
        output.close();
      }
      child.signal(SignalNumbers.SIGKILL, true);
      child.release();
      throw e;
    }
  }

  private void closeTerminal() {
    if (terminal != null) {
      terminal.close();
    }
  }

  /**
   * Prepares one standard stream; returns {the child's descriptor or -1 to inherit, this process's pipe end or
   * -1, the read size of that pipe}. A fresh pipe has the default capacity unless it was sized here, so its
   * capacity is not asked for.
   */
  private int[] stream(Arena arena, Stream redirect, boolean input, String name) throws NativeException {
    switch (redirect.type()) {
      case INHERIT:
        return new int[] {-1, -1, 0};
      case PIPE: {
        int[] pipe = Posix.pipe(arena);
        int child = input ? pipe[0] : pipe[1];
        int parent = input ? pipe[1] : pipe[0];
        childSide.add(child);
        ours.add(parent);
        Posix.setNonBlockingFresh(arena, parent);
        int chunk = DEFAULT_CHUNK;
        if (spec.pipeSize() > 0) {
          try {
            chunk = Math.max(DEFAULT_CHUNK, Posix.setPipeSize(arena, parent, spec.pipeSize()));
          } catch (NativeException e) {
            throw new StartFailure(spec, PipeLimit.reason(spec.pipeSize(), e.errorText()), e.errorName(), e);
          }
        }
        return new int[] {child, parent, chunk};
      }
      case DEVNULL:
        return new int[] {openForChild(arena, "/dev/null", input ? Libc.O_RDONLY : Libc.O_WRONLY, name), -1, 0};
      case READ:
        return new int[] {openForChild(arena, redirect.file().toString(), Libc.O_RDONLY, name), -1, 0};
      case WRITE:
        return new int[] {openForChild(arena, redirect.file().toString(),
            Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC, name), -1, 0};
      case APPEND:
        return new int[] {openForChild(arena, redirect.file().toString(),
            Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND, name), -1, 0};
      default:
        throw new IllegalArgumentException(name + " cannot be " + redirect);
    }
  }

  private int openForChild(Arena arena, String path, int flags, String name) {
    try {
      int fd = Posix.open(arena.allocateFrom(path, CHARSET), flags);
      childSide.add(fd);
      return fd;
    } catch (NativeException e) {
      throw new StartFailure(spec,
          "cannot open " + name + " file " + path + ": " + e.errorText(), e.errorName(), e);
    }
  }

  private long posixSpawn(Arena arena, String program, Map<String, String> environment, int in, int out, int err,
      boolean group) throws NativeException {
    MemorySegment actions = arena.allocate(Libc.SPAWN_STRUCT_BYTES, 16);
    MemorySegment attributes = arena.allocate(Libc.SPAWN_STRUCT_BYTES, 16);
    try {
      check(Libc.call(Libc.FaInit.MH, actions.address()), "posix_spawn_file_actions_init");
      try {
        check(Libc.call(Libc.AttrInit.MH, attributes.address()), "posix_spawnattr_init");
        try {
          addFileActions(arena, actions, in, out, err);
          setAttributes(arena, attributes, group);
          MemorySegment pid = arena.allocate(JAVA_INT);
          MemorySegment envp = inheritsEnvironment() ? InheritedEnvironment.BLOCK
              : spec.environment() == null ? InheritedEnvironment.with(arena, spec.environmentAdditions())
              : strings(arena, envStrings(environment));
          int rc = Libc.call(Libc.PosixSpawn.MH, pid.address(), cString(arena, program).address(),
              actions.address(), attributes.address(), strings(arena, spec.argv()).address(), envp.address());
          if (rc != 0) {
            throw new NativeException("posix_spawn", rc);
          }
          return pid.get(JAVA_INT, 0);
        } finally {
          int ignored = Libc.call(Libc.AttrDestroy.MH, attributes.address());
        }
      } finally {
        int ignored = Libc.call(Libc.FaDestroy.MH, actions.address());
      }
    } catch (NativeException e) {
      throw e;
    } catch (Throwable t) {
      throw Thrown.asError(t);
    }
  }

  private void addFileActions(Arena arena, MemorySegment actions, int in, int out, int err) throws Throwable {
    if (in >= 0) {
      check(Libc.call(Libc.FaAddDup2.MH, actions.address(), in, 0), "adddup2");
    }
    if (out >= 0) {
      check(Libc.call(Libc.FaAddDup2.MH, actions.address(), out, 1), "adddup2");
    }
    if (spec.stderrStream().type() == Stream.Type.STDOUT) {
      check(Libc.call(Libc.FaAddDup2.MH, actions.address(), 1, 2), "adddup2");
    } else if (err >= 0) {
      check(Libc.call(Libc.FaAddDup2.MH, actions.address(), err, 2), "adddup2");
    }
    if (terminal != null) {
      terminal.addFileActions(arena, actions, spec.terminal());
    }
    if (spec.cwd() != null) {
      check(Libc.call(Libc.FaAddChdir.MH, actions.address(),
          arena.allocateFrom(spec.cwd().toString(), CHARSET).address()), "addchdir_np");
    }
    int[] passed = spec.passFds().clone();
    Arrays.sort(passed);
    int first = 3;
    for (int fd : passed) {
      for (int closed = first; closed < fd; closed++) {
        check(Libc.call(Libc.FaAddClose.MH, actions.address(), closed), "addclose");
      }
      // dup2 onto itself clears close-on-exec, so the descriptor survives the exec.
      check(Libc.call(Libc.FaAddDup2.MH, actions.address(), fd, fd), "adddup2");
      first = fd + 1;
    }
    check(Libc.call(Libc.FaAddCloseFrom.MH, actions.address(), first), "addclosefrom_np");
  }

  private void setAttributes(Arena arena, MemorySegment attributes, boolean group) throws Throwable {
    MemorySegment none = arena.allocate(Libc.SIGSET_BYTES, 8);
    MemorySegment all = arena.allocate(Libc.SIGSET_BYTES, 8);
    int ignored = Libc.call(Libc.SigEmptySet.MH, none.address());
    ignored = Libc.call(Libc.SigFillSet.MH, all.address());
    check(Libc.call(Libc.AttrSetSigMask.MH, attributes.address(), none.address()), "setsigmask");
    check(Libc.call(Libc.AttrSetSigDefault.MH, attributes.address(), all.address()), "setsigdefault");
    short flags = (short) (Libc.POSIX_SPAWN_SETSIGMASK | Libc.POSIX_SPAWN_SETSIGDEF);
    if (spec.newSession()) {
      flags |= Libc.POSIX_SPAWN_SETSID;
    } else if (group) {
      flags |= Libc.POSIX_SPAWN_SETPGROUP;   // process group 0: the child's own pid
      check(Libc.call(Libc.AttrSetPgroup.MH, attributes.address(), 0), "setpgroup");
    }
    check(Libc.call(Libc.AttrSetFlags.MH, attributes.address(), flags), "setflags");
  }

  private static void check(int rc, String call) throws NativeException {
    if (rc != 0) {
      throw new NativeException(call, rc);
    }
  }

  private boolean inheritsEnvironment() {
    return spec.environment() == null && spec.environmentAdditions().isEmpty();
  }

  /**
   * This process's environment as a C array, made once: Java's view of it never changes. A launch that adds
   * variables to it reuses its encoded entries and encodes only the added ones.
   */
  private static final class InheritedEnvironment {
    static final String[] NAMES = System.getenv().keySet().toArray(String[]::new);
    static final MemorySegment BLOCK = strings(Arena.global(), envStrings(NAMES));

    /** Returns this process's environment with {@code additions} set, as a C array allocated in {@code arena}. */
    static MemorySegment with(Arena arena, Map<String, String> additions) {
      MemorySegment array = arena.allocate(ADDRESS, NAMES.length + additions.size() + 1L);
      int n = 0;
      for (int i = 0; i < NAMES.length; i++) {
        if (!additions.containsKey(NAMES[i])) {
          array.setAtIndex(ADDRESS, n++, BLOCK.getAtIndex(ADDRESS, i));
        }
      }
      for (Map.Entry<String, String> added : additions.entrySet()) {
        array.setAtIndex(ADDRESS, n++, cString(arena, added.getKey() + "=" + added.getValue()));
      }
      array.setAtIndex(ADDRESS, n, MemorySegment.NULL);
      return array;
    }

    private static List<String> envStrings(String[] names) {
      Map<String, String> env = System.getenv();
      List<String> strings = new ArrayList<>(names.length);
      for (String name : names) {
        strings.add(name + "=" + env.get(name));
      }
      return strings;
    }
  }

  /**
   * Returns the child's environment where it is not this process's with additions; otherwise the map whose PATH
   * the program is looked up on (the additions when they set PATH), without copying this process's.
   */
  private Map<String, String> environment() {
    if (spec.environment() == null) {
      Map<String, String> additions = spec.environmentAdditions();
      return additions.containsKey("PATH") ? additions : System.getenv();   // no copy on the launch path
    }
    Map<String, String> env = new LinkedHashMap<>(spec.environment() != null ? spec.environment() : System.getenv());
    env.putAll(spec.environmentAdditions());
    return env;
  }

  private static List<String> envStrings(Map<String, String> environment) {
    List<String> strings = new ArrayList<>(environment.size());
    environment.forEach((name, value) -> strings.add(name + "=" + value));
    return strings;
  }

  /** Returns a NULL-terminated array of C strings, encoded as {@link NativeText} says (UTF-8, never a '?'). */
  private static MemorySegment strings(Arena arena, List<String> values) {
    MemorySegment array = arena.allocate(ADDRESS, values.size() + 1L);
    for (int i = 0; i < values.size(); i++) {
      array.setAtIndex(ADDRESS, i, cString(arena, values.get(i)));
    }
    array.setAtIndex(ADDRESS, values.size(), MemorySegment.NULL);
    return array;
  }

  private static MemorySegment cString(Arena arena, String value) {
    byte[] bytes = NativeText.encode(value);
    MemorySegment string = arena.allocate(bytes.length + 1L);
    MemorySegment.copy(bytes, 0, string, JAVA_BYTE, 0, bytes.length);
    string.set(JAVA_BYTE, bytes.length, (byte) 0);
    return string;
  }
}

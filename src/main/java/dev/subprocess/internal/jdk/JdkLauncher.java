package dev.subprocess.internal.jdk;

import dev.subprocess.internal.ChildProcess;
import dev.subprocess.internal.Feature;
import dev.subprocess.internal.LaunchSpec;
import dev.subprocess.internal.Launcher;
import dev.subprocess.internal.NativeText;
import dev.subprocess.internal.ProgramLookup;
import dev.subprocess.internal.RunSpec;
import dev.subprocess.internal.SignalNumbers;
import dev.subprocess.internal.Stream;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Starts processes with {@link ProcessBuilder}: the portable backend, on every platform and Java 17+.
 *
 * <p>It runs the file the engine found on the child's PATH, and refuses a file without {@code #!} that the kernel
 * cannot execute ({@link ExecFormat}), as the linux backend and Python do. What ProcessBuilder cannot do itself,
 * it does through standard programs, at the cost of an extra exec or process: a new session through util-linux
 * {@code setsid}, an {@code argv[0]} apart from the program through {@code bash -c 'exec -a ...'}, and signals
 * other than SIGTERM and SIGKILL through the shell's {@code kill} ({@link Kill}). What it cannot do at all, it
 * refuses with {@link UnsupportedOperationException} before starting anything: a pseudo-terminal and passed
 * descriptors. The pipe size, a performance hint, is ignored.
 */
public final class JdkLauncher implements Launcher {
  /** The backend's name, for {@code -Ddev.subprocess.launcher}. */
  public static final String NAME = "jdk";

  private static final File DEV_NULL = new File("/dev/null");

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Feature> features() {
    Set<Feature> features = EnumSet.noneOf(Feature.class);
    if (Tools.SETSID != null) {
      features.add(Feature.NEW_SESSION);
    }
    if (Tools.BASH != null) {
      features.add(Feature.EXECUTABLE);
    }
    if (Tools.SH != null) {
      features.add(Feature.ANY_SIGNAL);
    }
    return features;
  }

  @Override
  public void requireSupport(RunSpec spec) {
    LaunchSpec launch = spec.launch();
    if (launch.terminal() != null) {
      throw unsupported("terminal()", "ProcessBuilder cannot give a child a pseudo-terminal");
    }
    if (launch.newSession() && Tools.SETSID == null) {
      throw unsupported("newSession()", "it runs the child through util-linux setsid, which this system lacks");
    }
    if (launch.passFds().length > 0) {
      throw unsupported("passFds(...)", "ProcessBuilder closes every descriptor but 0, 1 and 2 in the child, and"
          + " reopening one through /proc would not share its file offset, nor work for a socket");
    }
    if (namesArgvZeroApart(launch) && Tools.BASH == null) {
      throw unsupported("executable(" + launch.executable() + ")", "it gives argv[0] apart from the program"
          + " with bash's exec -a, and this system has no bash; put the program first in argv instead");
    }
    int signal = spec.killSignal();
    if (signal != SignalNumbers.SIGTERM && signal != SignalNumbers.SIGKILL && Tools.SH == null) {
      throw unsupportedSignal(signal);
    }
    NativeText.requireEncodable(launch, NativeText.JNU);
  }

  static UnsupportedOperationException unsupportedSignal(int signal) {
    return unsupported("signal " + signal + " (" + SignalNumbers.name(signal) + ")",
        "Process can send only SIGTERM (destroy) and SIGKILL (destroyForcibly), and this system has no /bin/sh"
            + " whose kill would send it");
  }

  private static UnsupportedOperationException unsupported(String option, String why) {
    return new UnsupportedOperationException(option + " is not supported by the jdk backend: " + why
        + ". The linux backend supports it: run on Java 22+ on Linux with --enable-native-access=ALL-UNNAMED"
        + " (--enable-native-access=dev.subprocess on the module path).");
  }

  private static boolean namesArgvZeroApart(LaunchSpec launch) {
    return launch.executable() != null && !launch.executable().toString().equals(launch.argv().get(0));
  }

  @Override
  public ChildProcess start(LaunchSpec spec) {
    Process process;
    ExecFormat.check(spec);
    try {
      process = builder(spec).start();
    } catch (IOException e) {
      throw StartFailures.translate(spec, e);
    }
    return child(process, spec, true, true);
  }

  @Override
  public List<ChildProcess> startPipeline(List<LaunchSpec> stages) {
    List<ProcessBuilder> builders = new ArrayList<>(stages.size());
    for (LaunchSpec stage : stages) {
      PipelineChecks.checkProgram(stage);
      ExecFormat.check(stage);
      PipelineChecks.checkRedirects(stage);
      builders.add(builder(stage));
    }
    List<Process> processes;
    try {
      processes = ProcessBuilder.startPipeline(builders);
    } catch (IOException e) {
      throw StartFailures.translate(failedStage(stages, builders, e), e);
    }
    List<ChildProcess> children = new ArrayList<>(processes.size());
    for (int i = 0; i < processes.size(); i++) {
      children.add(child(processes.get(i), stages.get(i), i == 0, i == processes.size() - 1));
    }
    return children;
  }

  private static LaunchSpec failedStage(List<LaunchSpec> stages, List<ProcessBuilder> builders, IOException e) {
    String message = String.valueOf(e.getMessage());
    for (int i = 0; i < stages.size(); i++) {
      if (message.startsWith("Cannot run program \"" + builders.get(i).command().get(0) + "\"")) {
        return stages.get(i);
      }
    }
    return stages.get(0);
  }

  private static ProcessBuilder builder(LaunchSpec spec) {
    ProcessBuilder builder = new ProcessBuilder(command(spec));
    if (spec.cwd() != null) {
      builder.directory(spec.cwd().toFile());
    }
    Map<String, String> env = builder.environment();
    if (spec.environment() != null) {
      env.clear();
      env.putAll(spec.environment());
    }
    env.putAll(spec.environmentAdditions());
    builder.redirectInput(input(spec.stdinStream()));
    builder.redirectOutput(output(spec.stdoutStream()));
    if (spec.stderrStream().type() == Stream.Type.STDOUT) {
      builder.redirectErrorStream(true);
    } else {
      builder.redirectError(output(spec.stderrStream()));
    }
    return builder;
  }

  /**
   * Returns what ProcessBuilder executes, argv[0] kept as given, as on the linux backend. A bare name that
   * ProcessBuilder's own search (this process's PATH) finds just as the engine did (the child's PATH is this
   * process's) is left to it; any other file the engine found runs through {@code bash -p -c 'exec -a'}, so that
   * the child's PATH decides and argv[0] stays (an extra exec, which passes the environment on as given; without
   * bash, argv[0] becomes the file found). A new session runs it through {@code setsid} (another exec), and a JVM
   * that ignores signals has its children reset them through {@code env --default-signal} ({@link SignalReset}).
   * Should the file vanish between the lookup and the exec, the wrapper exits with 127 instead of the start failing.
   */
  private static List<String> command(LaunchSpec spec) {
    List<String> argv = spec.argv();
    String argvZero = argv.get(0);
    String file = spec.file();
    List<String> command = new ArrayList<>(argv.size() + 7);
    command.addAll(SignalReset.PREFIX);
    if (spec.newSession()) {
      command.add(Tools.SETSID);
    }
    boolean searchedAlike = !argvZero.contains("/") && argvZero.equals(spec.program())
        && ProgramLookup.searchPath(spec).equals(System.getenv("PATH"));
    if (file.equals(argvZero) || searchedAlike) {
      command.add(argvZero);
    } else if (Tools.BASH != null) {
      command.add(Tools.BASH);
      command.add("-p");   // privileged: reads no BASH_ENV and imports no functions from the child's environment
      command.add("-c");
      command.add(execScript(spec));
      command.add(argvZero);
      command.add(file);
    } else {
      command.add(file);
    }
    command.addAll(argv.subList(1, argv.size()));
    return command;
  }

  /**
   * Returns the wrapper's script: {@code exec -a}, after undoing what bash does to the environment it passes on at
   * its start (it sets {@code PWD} to its working directory, and its {@code exec} exports {@code SHLVL}), so that
   * the child gets the environment it was given. An integer {@code SHLVL} given is passed on as it is already.
   */
  private static String execScript(LaunchSpec spec) {
    StringBuilder script = new StringBuilder();
    String pwd = childVariable(spec, "PWD");
    script.append(pwd == null ? "unset PWD; " : "export PWD='" + pwd.replace("'", "'\\''") + "'; ");
    if (childVariable(spec, "SHLVL") == null) {
      script.append("unset SHLVL; declare -a SHLVL; ");   // an array is never exported
    }
    return script.append("exec -a \"$0\" \"$@\"").toString();
  }

  /** Returns the value the child's environment gives {@code name}, or null. */
  private static String childVariable(LaunchSpec spec, String name) {
    String value = spec.environmentAdditions().get(name);
    if (value == null) {
      value = spec.environment() != null ? spec.environment().get(name) : System.getenv(name);
    }
    return value;
  }

  /** Wraps a started process; in a pipeline only the first stage's stdin and the last's stdout are ours. */
  private static ChildProcess child(Process process, LaunchSpec spec, boolean ownsStdin, boolean ownsStdout) {
    return new JdkChild(process,
        ownsStdin && spec.stdinStream().type() == Stream.Type.PIPE,
        ownsStdout && spec.stdoutStream().type() == Stream.Type.PIPE,
        spec.stderrStream().type() == Stream.Type.PIPE,
        JdkThreads.EXECUTOR);
  }

  @Override
  public Executor startExecutor() {
    return JdkThreads.EXECUTOR;
  }

  private static ProcessBuilder.Redirect input(Stream r) {
    switch (r.type()) {
      case PIPE:
        return ProcessBuilder.Redirect.PIPE;
      case DEVNULL:
        return ProcessBuilder.Redirect.from(DEV_NULL);
      case INHERIT:
        return ProcessBuilder.Redirect.INHERIT;
      case READ:
        return ProcessBuilder.Redirect.from(r.file().toFile());
      default:
        throw new IllegalArgumentException("stdin cannot be " + r);
    }
  }

  private static ProcessBuilder.Redirect output(Stream r) {
    switch (r.type()) {
      case PIPE:
        return ProcessBuilder.Redirect.PIPE;
      case DEVNULL:
        return ProcessBuilder.Redirect.DISCARD;
      case INHERIT:
        return ProcessBuilder.Redirect.INHERIT;
      case WRITE:
        return ProcessBuilder.Redirect.to(r.file().toFile());
      case APPEND:
        return ProcessBuilder.Redirect.appendTo(r.file().toFile());
      default:
        throw new IllegalArgumentException("an output cannot be " + r);
    }
  }
}

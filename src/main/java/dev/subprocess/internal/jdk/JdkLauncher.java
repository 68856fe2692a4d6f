package dev.subprocess.internal.jdk;

import dev.subprocess.Redirect;
import dev.subprocess.Signals;
import dev.subprocess.internal.ChildProcess;
import dev.subprocess.internal.LaunchSpec;
import dev.subprocess.internal.Launcher;
import dev.subprocess.internal.RunSpec;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * Starts processes with {@link ProcessBuilder}: the portable backend, on every platform and Java 17+.
 *
 * <p>What it cannot do, it refuses with {@link UnsupportedOperationException} before starting anything: a
 * pseudo-terminal, a new session, passed descriptors, an executable other than {@code argv[0]}, and signals other than SIGTERM and
 * SIGKILL. The pipe size, a performance hint, is ignored.
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
  public void requireSupport(RunSpec spec) {
    LaunchSpec launch = spec.launch();
    if (launch.terminal() != null) {
      throw unsupported("terminal()", "ProcessBuilder cannot give a child a pseudo-terminal");
    }
    if (launch.newSession()) {
      throw unsupported("newSession()", "ProcessBuilder cannot call setsid");
    }
    if (launch.passFds().length > 0) {
      throw unsupported("passFds(...)", "ProcessBuilder closes every descriptor but 0, 1 and 2");
    }
    if (launch.executable() != null && !launch.executable().toString().equals(launch.argv().get(0))) {
      throw unsupported("executable(" + launch.executable() + ")",
          "ProcessBuilder cannot give argv[0] apart from the program; put the program first in argv instead");
    }
    int signal = spec.killSignal();
    if (signal != Signals.SIGTERM && signal != Signals.SIGKILL) {
      throw unsupportedSignal(signal);
    }
  }

  static UnsupportedOperationException unsupportedSignal(int signal) {
    return unsupported("signal " + signal + " (" + Signals.name(signal) + ")",
        "Process can send only SIGTERM (destroy) and SIGKILL (destroyForcibly)");
  }

  private static UnsupportedOperationException unsupported(String option, String why) {
    return new UnsupportedOperationException(option + " is not supported by the jdk backend: " + why
        + ". The linux backend supports it.");
  }

  @Override
  public ChildProcess start(LaunchSpec spec) {
    Process process;
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
      PipelineChecks.checkRedirects(stage);
      builders.add(builder(stage));
    }
    List<Process> processes;
    try {
      processes = ProcessBuilder.startPipeline(builders);
    } catch (IOException e) {
      throw StartFailures.translate(failedStage(stages, e), e);
    }
    List<ChildProcess> children = new ArrayList<>(processes.size());
    for (int i = 0; i < processes.size(); i++) {
      children.add(child(processes.get(i), stages.get(i), i == 0, i == processes.size() - 1));
    }
    return children;
  }

  private static LaunchSpec failedStage(List<LaunchSpec> stages, IOException e) {
    String message = String.valueOf(e.getMessage());
    for (LaunchSpec stage : stages) {
      if (message.startsWith("Cannot run program \"" + stage.argv().get(0) + "\"")) {
        return stage;
      }
    }
    return stages.get(0);
  }

  private static ProcessBuilder builder(LaunchSpec spec) {
    ProcessBuilder builder = new ProcessBuilder(spec.argv());
    if (spec.cwd() != null) {
      builder.directory(spec.cwd().toFile());
    }
    Map<String, String> env = builder.environment();
    if (spec.environment() != null) {
      env.clear();
      env.putAll(spec.environment());
    }
    env.putAll(spec.environmentAdditions());
    builder.redirectInput(input(spec.stdin()));
    builder.redirectOutput(output(spec.stdout()));
    if (spec.stderr().type() == Redirect.Type.STDOUT) {
      builder.redirectErrorStream(true);
    } else {
      builder.redirectError(output(spec.stderr()));
    }
    return builder;
  }

  /** Wraps a started process; in a pipeline only the first stage's stdin and the last's stdout are ours. */
  private static ChildProcess child(Process process, LaunchSpec spec, boolean ownsStdin, boolean ownsStdout) {
    return new JdkChild(process,
        ownsStdin && spec.stdin().type() == Redirect.Type.PIPE,
        ownsStdout && spec.stdout().type() == Redirect.Type.PIPE,
        spec.stderr().type() == Redirect.Type.PIPE,
        JdkThreads.EXECUTOR);
  }

  @Override
  public Executor startExecutor() {
    return JdkThreads.EXECUTOR;
  }

  private static ProcessBuilder.Redirect input(Redirect r) {
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

  private static ProcessBuilder.Redirect output(Redirect r) {
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

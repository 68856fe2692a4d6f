package dev.subprocess.internal.jdk;

import dev.subprocess.internal.ChildProcess;
import dev.subprocess.internal.PipeSink;
import dev.subprocess.internal.PipeSource;
import dev.subprocess.internal.ProcessTree;
import dev.subprocess.internal.SignalNumbers;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Controls a child started with {@link ProcessBuilder}.
 *
 * <p>The JDK reports death by signal {@code N} as exit status {@code 128 + N}, the same as a process that called
 * {@code exit(128 + N)}. This class reports {@code -N}, as Python does, when this library itself sent signal
 * {@code N} to the process; any other {@code 128 + N} is reported as it is. SIGTERM and SIGKILL go through the
 * process handle; any other signal through the shell's {@code kill} ({@link Kill}: a short-lived process per signal).
 *
 * <p>{@code ProcessBuilder} cannot give a child a process group of its own, so the stop policy reaches its
 * descendants by walking them ({@link ProcessTree}) before each signal, and kills what is left of them at its exit.
 */
final class JdkChild implements ChildProcess {
  private final Process process;
  private final PipeSink stdin;
  private final PipeSource stdout;
  private final PipeSource stderr;
  private final CompletableFuture<Integer> exit;
  private final AtomicBoolean released = new AtomicBoolean();
  private volatile long signalsSent;
  private final ProcessTree descendants;
  private volatile boolean stopping;

  JdkChild(Process process, boolean stdinPiped, boolean stdoutPiped, boolean stderrPiped, Executor executor) {
    this.process = process;
    this.stdin = stdinPiped ? new StreamSink(process.getOutputStream(), executor) : null;
    this.stdout = stdoutPiped ? new StreamSource(process.getInputStream(), executor) : null;
    this.stderr = stderrPiped ? new StreamSource(process.getErrorStream(), executor) : null;
    this.descendants = new ProcessTree(process.pid());
    this.exit = process.onExit().thenApplyAsync(p -> {
      if (stopping) {
        descendants.killRemaining();
      }
      return returnCode(p.exitValue());
    }, executor);
  }

  private int returnCode(int status) {
    int signal = status - 128;
    if (signal > 0 && signal < 64 && (signalsSent & (1L << signal)) != 0) {
      return -signal;
    }
    return status;
  }

  @Override
  public long pid() {
    return process.pid();
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
  public void signal(int signal, boolean tree) {
    boolean handled = signal == SignalNumbers.SIGTERM || signal == SignalNumbers.SIGKILL;
    if (!handled && Tools.SH == null) {
      throw JdkLauncher.unsupportedSignal(signal);
    }
    synchronized (this) {
      signalsSent |= 1L << signal;
    }
    if (tree) {
      stopping = true;
      descendants.collect();
    }
    if (!handled) {
      List<Long> pids = new ArrayList<>();
      if (process.isAlive()) {
        pids.add(process.pid());
      }
      if (tree) {
        pids.addAll(descendants.alive());
      }
      Kill.send(signal, pids);
      return;
    }
    // Through the handle: Process.destroy() would also close the pipes, losing the output still in them.
    if (signal == SignalNumbers.SIGKILL) {
      process.toHandle().destroyForcibly();
    } else {
      process.toHandle().destroy();
    }
    if (tree) {
      descendants.signal(signal);
    }
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
    }
  }
}

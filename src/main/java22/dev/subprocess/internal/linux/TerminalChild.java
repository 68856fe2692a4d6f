package dev.subprocess.internal.linux;

import dev.subprocess.internal.ChildProcess;
import dev.subprocess.internal.ChildUsage;
import dev.subprocess.internal.PipeSink;
import dev.subprocess.internal.PipeSource;
import java.util.concurrent.CompletableFuture;

/**
 * Controls a child that runs under a pseudo-terminal: a {@link NativeChild} for its exit, signals and the streams
 * that are not on the terminal, plus the terminal's input and output in the slots of the streams that are, and
 * the window size. The terminal's control descriptor is closed when the child has exited or is released.
 */
final class TerminalChild implements ChildProcess {
  private final NativeChild child;
  private final PseudoTerminal terminal;
  private final TerminalInput input;
  private final TerminalOutput output;
  private final boolean outputIsStdout;

  TerminalChild(NativeChild child, PseudoTerminal terminal, TerminalInput input, TerminalOutput output,
      boolean outputIsStdout) {
    this.child = child;
    this.terminal = terminal;
    this.input = input;
    this.output = output;
    this.outputIsStdout = outputIsStdout;
    child.exit().whenComplete((code, error) -> terminal.close());
  }

  @Override
  public long pid() {
    return child.pid();
  }

  @Override
  public PipeSink stdin() {
    return input != null ? input : child.stdin();
  }

  @Override
  public PipeSource stdout() {
    return outputIsStdout ? output : child.stdout();
  }

  @Override
  public PipeSource stderr() {
    return outputIsStdout ? child.stderr() : output;
  }

  @Override
  public CompletableFuture<Integer> exit() {
    return child.exit();
  }

  @Override
  public void signal(int signal, boolean group) {
    child.signal(signal, group);
  }

  @Override
  public boolean leadsProcessGroup() {
    return child.leadsProcessGroup();
  }

  @Override
  public ChildUsage usage() {
    return child.usage();
  }

  @Override
  public void resize(int columns, int rows) {
    try {
      terminal.setSize(columns, rows);
    } catch (NativeException e) {
      throw new IllegalStateException("cannot resize the terminal of process " + pid() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void release() {
    if (input != null) {
      input.abort();
    }
    output.close();
    terminal.close();
    child.release();
  }
}

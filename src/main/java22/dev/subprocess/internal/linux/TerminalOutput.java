package dev.subprocess.internal.linux;

import dev.subprocess.internal.PipeSource;
import java.nio.ByteBuffer;

/**
 * Reads what a pseudo-terminal shows, from a descriptor of its master, exactly as a pipe is read (only on demand,
 * through the event loop). The kernel reports the end of a terminal's output differently from a pipe's: once
 * every process has closed the slave, a read of the master fails with {@code EIO}, which is the end here.
 */
final class TerminalOutput implements PipeSource {
  private final NativePipeSource master;

  TerminalOutput(int masterFd) throws NativeException {
    this.master = new NativePipeSource(masterFd, Spawner.DEFAULT_CHUNK, false);
    master.sharesItsFile();   // with the terminal's writer and its control descriptor
  }

  @Override
  public void read(ReadHandler handler) {
    master.read(new ReadHandler() {
      @Override
      public void onData(ByteBuffer chunk) {
        handler.onData(chunk);
      }

      @Override
      public boolean borrows() {
        return handler.borrows();
      }

      @Override
      public void onEnd() {
        handler.onEnd();
      }

      @Override
      public void onError(Throwable error) {
        if (error instanceof NativeException e && e.errno() == PseudoTerminal.EIO) {
          handler.onEnd();
        } else {
          handler.onError(error);
        }
      }
    });
  }

  @Override
  public void close() {
    master.close();
  }
}

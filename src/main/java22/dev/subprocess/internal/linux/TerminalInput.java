package dev.subprocess.internal.linux;

import dev.subprocess.internal.PipeSink;
import java.nio.ByteBuffer;

/**
 * Writes keys into a pseudo-terminal, through a descriptor of its master, exactly as a pipe is written. Closing it
 * types the end-of-file character (Ctrl-D) before it closes the descriptor, as a user ends input at a terminal: in
 * the terminal's canonical mode a read then returns end of file (after a line without its newline, a first Ctrl-D
 * only hands that line over, so two are typed). Closing the descriptor alone would tell the child nothing, since
 * the terminal stays open while its output is read.
 */
final class TerminalInput implements PipeSink {
  private static final byte EOF = 4;

  private final NativePipeSink master;
  private boolean writing;
  private boolean closeRequested;
  private boolean closed;
  private boolean atLineStart = true;

  TerminalInput(int masterFd) throws NativeException {
    this.master = new NativePipeSink(masterFd);
    master.sharesItsFile();   // with the terminal's reader and its control descriptor
  }

  @Override
  public void write(ByteBuffer data, WriteHandler handler) {
    synchronized (this) {
      writing = true;
      if (data.hasRemaining()) {
        atLineStart = data.get(data.limit() - 1) == '\n';
      }
    }
    master.write(data, new WriteHandler() {
      @Override
      public void onWritten() {
        afterWrite();
        handler.onWritten();
      }

      @Override
      public void onBroken(Throwable error) {
        afterWrite();
        handler.onBroken(error);
      }
    });
  }

  private void afterWrite() {
    boolean close;
    synchronized (this) {
      writing = false;
      close = closeRequested;
    }
    if (close) {
      typeEndOfFile();
    }
  }

  /** Types Ctrl-D once the outstanding write, if any, is done, then closes the descriptor. */
  @Override
  public void close() {
    synchronized (this) {
      if (writing) {
        closeRequested = true;
        return;
      }
    }
    typeEndOfFile();
  }

  private void typeEndOfFile() {
    ByteBuffer eof;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      eof = ByteBuffer.wrap(atLineStart ? new byte[] {EOF} : new byte[] {EOF, EOF});
    }
    master.write(eof, new WriteHandler() {
      @Override
      public void onWritten() {
        master.close();
      }

      @Override
      public void onBroken(Throwable error) {
        master.close();
      }
    });
  }

  /** Closes the descriptor now, dropping an outstanding write: for a process that is being released. */
  void abort() {
    synchronized (this) {
      closed = true;
    }
    master.abort();
  }
}

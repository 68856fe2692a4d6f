package dev.subprocess.internal;

/**
 * Describes the pseudo-terminal a process runs under: its window size, and which standard streams are the
 * terminal. The child leads a new session whose controlling terminal it is. The terminal's output is read as the
 * process's stdout when stdout is on it, otherwise as its stderr; input is written as its stdin.
 *
 * @param columns the window's width in characters
 * @param rows the window's height in lines
 * @param stdin whether stdin is the terminal
 * @param stdout whether stdout is the terminal
 * @param stderr whether stderr is the terminal
 */
public record TerminalSpec(int columns, int rows, boolean stdin, boolean stdout, boolean stderr) {

  /** Checks the size: both between 1 and 65535, as {@code struct winsize} holds them. */
  public TerminalSpec {
    checkSize(columns, rows);
  }

  /** Throws {@link IllegalArgumentException} unless both dimensions fit a terminal's window size. */
  public static void checkSize(int columns, int rows) {
    if (columns < 1 || columns > 0xffff || rows < 1 || rows > 0xffff) {
      throw new IllegalArgumentException("a terminal is 1 to 65535 columns by 1 to 65535 rows, not "
          + columns + " by " + rows);
    }
  }

  /** Returns this terminal on the streams given. */
  public TerminalSpec on(boolean in, boolean out, boolean err) {
    return new TerminalSpec(columns, rows, in, out, err);
  }
}

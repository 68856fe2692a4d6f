package dev.subprocess.testing;

import dev.subprocess.Command;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Holds a child until the test lets it go: a FIFO that the child opens for reading ({@code read go < "$gate"}),
 * which blocks it without polling until {@link #open()} writes a line into it. Whatever the machine's speed, the
 * child has not passed the gate before the test opens it.
 *
 * <p>A child that comes back to the same gate waits with {@link #AGAIN} instead: the writer of the last
 * {@link #open()} may still hold the FIFO open when the child returns (a process, it may close its end only after
 * the child has read the line), and while it does, the child's open does not block and its {@code read}
 * gets end of file at that writer's close, passing the gate nobody opened.
 */
public final class Gate {
  /**
   * Waits at the gate whose path is the shell's {@code $1} once more, passing only on a line: an end of file from
   * the last opener's late close is waited past.
   */
  public static final String AGAIN = "until read go < \"$1\"; do :; done";

  private final Path fifo;

  private Gate(Path fifo) {
    this.fifo = fifo;
  }

  /** Makes a FIFO named {@code name} in {@code dir}. */
  public static Gate in(Path dir, String name) {
    Path fifo = dir.resolve(name);
    Command.of("mkfifo", fifo.toString()).check().run().block(Duration.ofSeconds(60));
    return new Gate(fifo);
  }

  /** Returns the FIFO's path, to give to the child. */
  public String path() {
    return fifo.toString();
  }

  /**
   * Lets one waiting child through: writes a line into the FIFO, once the child has opened it. Bounded by a
   * minute, which only a child that never comes to the gate reaches.
   */
  public void open() {
    Command.of("sh", "-c", "echo go > \"$1\"", "sh", path()).check().run().block(Duration.ofSeconds(60));
  }
}

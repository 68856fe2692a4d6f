package dev.subprocess.internal;

import dev.subprocess.Redirect;
import java.nio.file.Path;

/**
 * Says what one standard stream of a child is connected to, as the engine hands it to a backend: the engine's own
 * view of the public {@link Redirect}, so that backends depend on the engine's types only.
 *
 * @param type what the stream is connected to
 * @param file the file of {@code READ}, {@code WRITE} and {@code APPEND}, or null
 */
public record Stream(Type type, Path file) {
  /** What a standard stream is connected to. */
  public enum Type {
    /** A pipe between the child and this process. */
    PIPE,
    /** {@code /dev/null}. */
    DEVNULL,
    /** This process's own stream of the same number. */
    INHERIT,
    /** Wherever stdout goes (stderr only). */
    STDOUT,
    /** A file, truncated first. */
    WRITE,
    /** A file, appended to. */
    APPEND,
    /** A file, read. */
    READ
  }

  private static final Stream PIPE = new Stream(Type.PIPE, null);
  private static final Stream DEVNULL = new Stream(Type.DEVNULL, null);
  private static final Stream INHERIT = new Stream(Type.INHERIT, null);
  private static final Stream STDOUT = new Stream(Type.STDOUT, null);

  /** Returns the engine's view of {@code redirect}; allocates only for a file. */
  static Stream of(Redirect redirect) {
    switch (redirect.type()) {
      case PIPE:
        return PIPE;
      case DEVNULL:
        return DEVNULL;
      case INHERIT:
        return INHERIT;
      case STDOUT:
        return STDOUT;
      case WRITE:
        return new Stream(Type.WRITE, redirect.file());
      case APPEND:
        return new Stream(Type.APPEND, redirect.file());
      case READ:
        return new Stream(Type.READ, redirect.file());
      default:
        throw new IllegalArgumentException("no stream for " + redirect);
    }
  }

  /** Describes the stream as the public redirect it comes from would. */
  @Override
  public String toString() {
    return file == null ? type.name() : type + " " + file;
  }
}

package dev.subprocess;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Says where one of a child's standard streams goes: a pipe to this process, nowhere, the parent's own
 * stream, the child's stdout (for stderr only), or a file.
 *
 * <p>The counterpart of Python's {@code PIPE}, {@code DEVNULL} and {@code STDOUT} constants and of passing an
 * open file. Instances are immutable values; two redirects are equal when they have the same type and file.
 *
 * <pre>{@code
 * Mono<CompletedProcess> build = Command.of("make", "all")
 *     .stdin(Redirect.DEVNULL)
 *     .stdout(Redirect.appendTo(Path.of("build.log")))
 *     .stderr(Redirect.STDOUT)                  // 2>&1
 *     .run();
 * }</pre>
 */
public final class Redirect {

  /** Says what kind of destination or source a {@link Redirect} is. */
  public enum Type {
    /** A pipe between the child and this process. */
    PIPE,
    /** {@code /dev/null}: output is discarded, input is empty. */
    DEVNULL,
    /** The parent's own stream of the same number. */
    INHERIT,
    /** stderr goes wherever stdout goes (valid for stderr only). */
    STDOUT,
    /** Output written to a file, truncated first. */
    WRITE,
    /** Output appended to a file. */
    APPEND,
    /** Input read from a file. */
    READ
  }

  /** A pipe to this process: output is read by the library, input is written by it. */
  public static final Redirect PIPE = new Redirect(Type.PIPE, null);

  /** {@code /dev/null}: output is discarded and input is empty. */
  public static final Redirect DEVNULL = new Redirect(Type.DEVNULL, null);

  /** The parent's own stream: the default for all three streams, as in Python. */
  public static final Redirect INHERIT = new Redirect(Type.INHERIT, null);

  /** For stderr only: stderr goes to the same place as stdout (Python's {@code stderr=STDOUT}). */
  public static final Redirect STDOUT = new Redirect(Type.STDOUT, null);

  private final Type type;
  private final Path file;

  private Redirect(Type type, Path file) {
    this.type = type;
    this.file = file;
  }

  /**
   * Returns a redirect that writes output to {@code file}, creating it or truncating it first. A FIFO is opened
   * as a shell would, once it has a reader, but the wait happens on a thread of its own, never on the subscribing
   * thread, and ends when the subscription is cancelled.
   *
   * @param file the file to write; relative paths resolve against the JVM's working directory
   * @return a {@link Type#WRITE} redirect for stdout or stderr
   * @throws NullPointerException if {@code file} is null
   */
  public static Redirect to(Path file) {
    return new Redirect(Type.WRITE, Objects.requireNonNull(file, "file"));
  }

  /**
   * Returns a redirect that appends output to {@code file}, creating it if needed.
   *
   * @param file the file to append to; relative paths resolve against the JVM's working directory
   * @return an {@link Type#APPEND} redirect for stdout or stderr
   * @throws NullPointerException if {@code file} is null
   */
  public static Redirect appendTo(Path file) {
    return new Redirect(Type.APPEND, Objects.requireNonNull(file, "file"));
  }

  /**
   * Returns a redirect that feeds stdin from {@code file}, which must exist when the process starts. A FIFO is
   * opened once it has a writer, waiting on a thread of its own as {@link #to} does.
   *
   * @param file the file to read; relative paths resolve against the JVM's working directory
   * @return a {@link Type#READ} redirect for stdin
   * @throws NullPointerException if {@code file} is null
   */
  public static Redirect from(Path file) {
    return new Redirect(Type.READ, Objects.requireNonNull(file, "file"));
  }

  /**
   * Returns the kind of this redirect.
   *
   * @return the type, never null
   */
  public Type type() {
    return type;
  }

  /**
   * Returns the file of a {@code to}, {@code appendTo} or {@code from} redirect, or null for the others.
   *
   * @return the path as given to the factory method, or null
   */
  public Path file() {
    return file;
  }

  /** Tells whether this redirect sends output somewhere (usable for stdout or stderr). */
  boolean isOutput() {
    return type != Type.READ;
  }

  /** Tells whether this redirect can feed input (usable for stdin). */
  boolean isInput() {
    return type == Type.PIPE || type == Type.DEVNULL || type == Type.INHERIT || type == Type.READ;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Redirect r && r.type == type && Objects.equals(r.file, file);
  }

  @Override
  public int hashCode() {
    return type.hashCode() * 31 + Objects.hashCode(file);
  }

  /** Returns {@code PIPE}, {@code DEVNULL}, ..., or {@code WRITE /path} for file redirects. */
  @Override
  public String toString() {
    return file == null ? type.name() : type.name() + " " + file;
  }
}

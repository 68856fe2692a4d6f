package dev.subprocess;

import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Describes a process that has finished: what ran, how it ended, and what was captured of its output.
 * Python's {@code CompletedProcess}.
 *
 * <p>{@code stdout} and {@code stderr} are null when that stream was not captured (not {@link Redirect#PIPE}).
 * The arrays are handed over as they are, not copied: the caller owns them. The text accessors decode them with
 * the command's {@linkplain Command#encoding(Charset) encoding} and translate {@code \r\n} and {@code \r} to
 * {@code \n}, as Python's text mode does, and treat bytes not valid in it as the command's
 * {@linkplain Command#encodingErrors(CodingErrorAction) encoding errors} say (Python's {@code errors=}).
 *
 * <pre>{@code
 * CompletedProcess done = Command.of("ls", "-l", "/tmp").captureOutput().run().block();
 * if (done.returnCode() == 0) {
 *   System.out.print(done.stdoutText());
 * } else {
 *   System.err.print(done.stderrText());
 * }
 * }</pre>
 *
 * @param args the argv the process was started with
 * @param returnCode the exit status, or {@code -N} when the process was killed by signal {@code N}
 * @param stdout the captured stdout, or null when not captured
 * @param stderr the captured stderr, or null when not captured
 * @param encoding the charset of the text accessors
 * @param workingDirectory the directory the process ran in, named by {@link #checkReturnCode()}'s message
 * @param resourceUsage the CPU time the process and the descendants it waited for used, as the linux backend
 *     reads it when it reaps the process (on x86-64, AArch64 and RISC-V); empty on the jdk backend, which cannot
 *     tell, and for results built without it
 * @param encodingErrors what the text accessors do with bytes not valid in the encoding:
 *     {@link CodingErrorAction#REPORT} (fail, the default), {@link CodingErrorAction#REPLACE} or
 *     {@link CodingErrorAction#IGNORE}
 */
public record CompletedProcess(
    List<String> args, int returnCode, byte[] stdout, byte[] stderr, Charset encoding, Path workingDirectory,
    Optional<ResourceUsage> resourceUsage, CodingErrorAction encodingErrors) {

  /**
   * Checks the components and copies {@code args}; the output arrays are kept as given; a null usage is empty,
   * and null encoding errors are {@link CodingErrorAction#REPORT}.
   */
  public CompletedProcess {
    args = List.copyOf(args);
    Objects.requireNonNull(encoding, "encoding");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    resourceUsage = resourceUsage == null ? Optional.empty() : resourceUsage;
    encodingErrors = encodingErrors == null ? CodingErrorAction.REPORT : encodingErrors;
  }

  /**
   * Creates a result whose text accessors decode strictly.
   *
   * @param args the argv the process was started with
   * @param returnCode the exit status, or {@code -N} when the process was killed by signal {@code N}
   * @param stdout the captured stdout, or null when not captured
   * @param stderr the captured stderr, or null when not captured
   * @param encoding the charset of the text accessors
   * @param workingDirectory the directory the process ran in, named by {@link #checkReturnCode()}'s message
   * @param resourceUsage the CPU time the process used, or empty
   */
  public CompletedProcess(
      List<String> args, int returnCode, byte[] stdout, byte[] stderr, Charset encoding, Path workingDirectory,
      Optional<ResourceUsage> resourceUsage) {
    this(args, returnCode, stdout, stderr, encoding, workingDirectory, resourceUsage, CodingErrorAction.REPORT);
  }

  /**
   * Creates a result without resource usage.
   *
   * @param args the argv the process was started with
   * @param returnCode the exit status, or {@code -N} when the process was killed by signal {@code N}
   * @param stdout the captured stdout, or null when not captured
   * @param stderr the captured stderr, or null when not captured
   * @param encoding the charset of the text accessors
   * @param workingDirectory the directory the process ran in, named by {@link #checkReturnCode()}'s message
   */
  public CompletedProcess(
      List<String> args, int returnCode, byte[] stdout, byte[] stderr, Charset encoding, Path workingDirectory) {
    this(args, returnCode, stdout, stderr, encoding, workingDirectory, Optional.empty(), CodingErrorAction.REPORT);
  }

  /**
   * Creates a result with UTF-8 text and the JVM's working directory, as Python's four-argument constructor.
   *
   * @param args the argv the process was started with
   * @param returnCode the exit status, or {@code -N} when the process was killed by signal {@code N}
   * @param stdout the captured stdout, or null when not captured
   * @param stderr the captured stderr, or null when not captured
   */
  public CompletedProcess(List<String> args, int returnCode, byte[] stdout, byte[] stderr) {
    this(args, returnCode, stdout, stderr, StandardCharsets.UTF_8, ErrorText.jvmWorkingDirectory());
  }

  /**
   * Returns stdout decoded as text with universal newlines, or null when stdout was not captured.
   *
   * @return the stdout text with {@code \r\n} and {@code \r} turned into {@code \n}, or null
   * @throws java.io.UncheckedIOException if stdout is not valid in the command's encoding and the encoding errors
   *     are {@link CodingErrorAction#REPORT}
   */
  public String stdoutText() {
    return stdout == null ? null : Text.decode(stdout, encoding, encodingErrors, "stdout");
  }

  /**
   * Returns stderr decoded as text with universal newlines, or null when stderr was not captured.
   *
   * @return the stderr text with {@code \r\n} and {@code \r} turned into {@code \n}, or null
   * @throws java.io.UncheckedIOException if stderr is not valid in the command's encoding and the encoding errors
   *     are {@link CodingErrorAction#REPORT}
   */
  public String stderrText() {
    return stderr == null ? null : Text.decode(stderr, encoding, encodingErrors, "stderr");
  }

  /**
   * Returns this result when the return code is zero, and throws otherwise.
   *
   * @return this result, unchanged, for chaining
   * @throws CalledProcessException if {@link #returnCode()} is not zero
   */
  public CompletedProcess checkReturnCode() {
    if (returnCode != 0) {
      throw new CalledProcessException(args, workingDirectory, returnCode, stdout, stderr);
    }
    return this;
  }

  /**
   * Compares all components, the output arrays by content, except the resource usage: a measurement that differs
   * from run to run, so that two runs of a command that did the same compare equal.
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof CompletedProcess p
        && p.returnCode == returnCode
        && p.args.equals(args)
        && Arrays.equals(p.stdout, stdout)
        && Arrays.equals(p.stderr, stderr)
        && p.encoding.equals(encoding)
        && p.workingDirectory.equals(workingDirectory)
        && p.encodingErrors.equals(encodingErrors);
  }

  /** Hashes all components but the resource usage, the output arrays by content. */
  @Override
  public int hashCode() {
    return Objects.hash(args, returnCode, Arrays.hashCode(stdout), Arrays.hashCode(stderr), encoding,
        workingDirectory, encodingErrors);
  }

  /** Returns the args, the return code and the sizes of the captured output. */
  @Override
  public String toString() {
    return "CompletedProcess[args=" + args + ", returnCode=" + returnCode
        + ", stdout=" + size(stdout) + ", stderr=" + size(stderr) + "]";
  }

  private static String size(byte[] bytes) {
    return bytes == null ? "null" : bytes.length + " bytes";
  }
}

package dev.subprocess.internal;

import dev.subprocess.Redirect;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Describes what a backend must start: argv, program, working directory, environment and the three standard
 * streams, plus the options only some backends honour (sessions, process groups, passed descriptors, pipe size).
 *
 * @param argv the program and its arguments, validated, never empty
 * @param executable the program to execute instead of {@code argv[0]}, or null
 * @param cwd the working directory, or null for this process's
 * @param environment the whole environment, or null to inherit this process's
 * @param environmentAdditions variables set on top of the environment
 * @param stdin where stdin comes from
 * @param stdout where stdout goes
 * @param stderr where stderr goes
 * @param newSession whether the child leads a new session and process group
 * @param inheritProcessGroup whether the child stays in this process's group instead of leading its own
 * @param passFds descriptors kept open in the child besides 0, 1 and 2
 * @param pipeSize the capacity asked of each pipe, or 0 for the system's default
 * @param terminal the pseudo-terminal the process runs under, or null for none; the streams on it are
 *     {@code PIPE} here (stderr {@code STDOUT} when stdout is on it too), since this process reads and writes them
 * @param host the name of the remote host the process runs on, or null for this machine
 * @param programPath the file the engine found for {@link #program()} on the child's PATH, or null before the
 *     lookup (and on a remote host, whose shell looks it up)
 */
public record LaunchSpec(
    List<String> argv,
    Path executable,
    Path cwd,
    Map<String, String> environment,
    Map<String, String> environmentAdditions,
    Redirect stdin,
    Redirect stdout,
    Redirect stderr,
    boolean newSession,
    boolean inheritProcessGroup,
    int[] passFds,
    int pipeSize,
    TerminalSpec terminal,
    String host,
    String programPath) {

  /** Describes a launch whose program is not looked up yet. */
  public LaunchSpec(List<String> argv, Path executable, Path cwd, Map<String, String> environment,
      Map<String, String> environmentAdditions, Redirect stdin, Redirect stdout, Redirect stderr, boolean newSession,
      boolean inheritProcessGroup, int[] passFds, int pipeSize, TerminalSpec terminal, String host) {
    this(argv, executable, cwd, environment, environmentAdditions, stdin, stdout, stderr, newSession,
        inheritProcessGroup, passFds, pipeSize, terminal, host, null);
  }

  /** Returns this spec with other variables set on top of the environment. */
  public LaunchSpec withEnvironmentAdditions(Map<String, String> additions) {
    return new LaunchSpec(argv, executable, cwd, environment, Map.copyOf(additions), stdin, stdout, stderr,
        newSession, inheritProcessGroup, passFds, pipeSize, terminal, host, null);
  }

  /** Returns this spec with the three standard streams redirected as given. */
  public LaunchSpec withStreams(Redirect in, Redirect out, Redirect err) {
    return new LaunchSpec(argv, executable, cwd, environment, environmentAdditions, in, out, err, newSession,
        inheritProcessGroup, passFds, pipeSize, terminal, host, programPath);
  }

  /** Returns this spec with the file to execute found. */
  LaunchSpec withProgramPath(String path) {
    return new LaunchSpec(argv, executable, cwd, environment, environmentAdditions, stdin, stdout, stderr,
        newSession, inheritProcessGroup, passFds, pipeSize, terminal, host, path);
  }

  /**
   * Returns the file a local backend executes: the one the engine found on the child's PATH, or {@link #program()}
   * when it contains a slash.
   */
  public String file() {
    return programPath != null ? programPath : program();
  }

  /** Returns where stdin comes from, as the engine hands it to a backend. */
  public Stream stdinStream() {
    return Stream.of(stdin);
  }

  /** Returns where stdout goes, as the engine hands it to a backend. */
  public Stream stdoutStream() {
    return Stream.of(stdout);
  }

  /** Returns where stderr goes, as the engine hands it to a backend. */
  public Stream stderrStream() {
    return Stream.of(stderr);
  }

  /** Returns the program the backend executes: the executable if set, otherwise {@code argv[0]}. */
  public String program() {
    return executable != null ? executable.toString() : argv.get(0);
  }

  /**
   * Returns the directory the process runs in, absolute: the configured one or this process's. On a remote host,
   * it is named {@code host:directory}, the home directory being {@code ~}, as scp names remote files.
   */
  public Path workingDirectory() {
    if (host != null) {
      return Path.of(host + ":" + (cwd != null ? cwd : "~"));
    }
    return (cwd != null ? cwd : Path.of("")).toAbsolutePath();
  }
}

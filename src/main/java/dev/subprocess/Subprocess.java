package dev.subprocess;

import java.util.Arrays;
import dev.subprocess.internal.Engine;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Offers Python's module-level one-liners: {@code run}, {@code call}, {@code check_call}, {@code check_output},
 * {@code getstatusoutput} and {@code getoutput}, each as a lazy {@code Mono}.
 *
 * <p>Each is a shortcut for a {@link Command}; use a command directly for anything more (a working directory,
 * an environment, a timeout, input).
 *
 * <pre>{@code
 * Mono<byte[]> kernel = Subprocess.checkOutput("uname", "-r");
 * Mono<Integer> code = Subprocess.call("true");
 * Mono<String> listing = Subprocess.getOutput("ls /bin/ls");
 * }</pre>
 */
public final class Subprocess {
  private Subprocess() {}

  /**
   * Runs {@code argv} with the standard streams inherited and emits how it ended: Python's {@code run(args)}.
   *
   * @param argv the program, looked up on the PATH unless it contains a slash, then its arguments
   * @return a {@code Mono} that starts the process on subscription and emits its result
   * @throws IllegalArgumentException if {@code argv} is empty or contains a NUL character
   */
  public static Mono<CompletedProcess> run(String... argv) {
    return command(argv).run();
  }

  /**
   * Runs {@code argv} with the standard streams inherited and emits its return code: Python's {@code call}.
   *
   * @param argv the program, looked up on the PATH unless it contains a slash, then its arguments
   * @return a {@code Mono} of the return code, {@code -N} when the process was killed by signal N
   */
  public static Mono<Integer> call(String... argv) {
    return command(argv).run().map(CompletedProcess::returnCode);
  }

  /**
   * Runs {@code argv} with the standard streams inherited; completes empty on return code zero and fails with
   * {@link CalledProcessException} otherwise: Python's {@code check_call}.
   *
   * @param argv the program, looked up on the PATH unless it contains a slash, then its arguments
   * @return a {@code Mono} that completes when the process has succeeded
   */
  public static Mono<Void> checkCall(String... argv) {
    return command(argv).check().run().then();
  }

  /**
   * Runs {@code argv} and emits its stdout; fails with {@link CalledProcessException}, carrying the output,
   * on a non-zero return code: Python's {@code check_output}. stderr is inherited.
   *
   * @param argv the program, looked up on the PATH unless it contains a slash, then its arguments
   * @return a {@code Mono} of the captured stdout bytes
   */
  public static Mono<byte[]> checkOutput(String... argv) {
    return command(argv).stdout(Redirect.PIPE).check().run().map(CompletedProcess::stdout);
  }

  /**
   * Runs {@code shellCommand} with {@code /bin/sh -c}, stderr merged into stdout, and emits the return code
   * with the output as text, one trailing newline removed: Python's {@code getstatusoutput}. Never fails on a
   * non-zero return code: {@code getStatusOutput("/bin/junk")} emits {@code (127, "sh: 1: /bin/junk: not found")}.
   *
   * @param shellCommand the shell script to run, as one string
   * @return a {@code Mono} of the return code and the combined output
   */
  public static Mono<StatusOutput> getStatusOutput(String shellCommand) {
    return Command.shell(shellCommand)
        .stdout(Redirect.PIPE)
        .stderr(Redirect.STDOUT)
        .run()
        .map(done -> new StatusOutput(done.returnCode(), withoutTrailingNewline(done.stdoutText())));
  }

  /**
   * Runs {@code shellCommand} like {@link #getStatusOutput(String)} and emits only the output: Python's
   * {@code getoutput}.
   *
   * @param shellCommand the shell script to run, as one string
   * @return a {@code Mono} of stdout and stderr together as text, without the trailing newline
   */
  public static Mono<String> getOutput(String shellCommand) {
    return getStatusOutput(shellCommand).map(StatusOutput::output);
  }

  /**
   * Returns the backend that starts this JVM's local processes and what it supports; the first call chooses it.
   *
   * <pre>{@code
   * System.out.println("backend: " + Subprocess.backend().name());
   * }</pre>
   *
   * @return the backend, the same for the life of the JVM
   */
  public static Backend backend() {
    return Backends.BACKEND;
  }

  /** Holds the description of the backend, made on first use. */
  private static final class Backends {
    static final Backend BACKEND = describe();

    private static Backend describe() {
      java.util.Set<Backend.Feature> features = java.util.EnumSet.noneOf(Backend.Feature.class);
      for (dev.subprocess.internal.Feature feature : Engine.backendFeatures()) {
        features.add(Backend.Feature.valueOf(feature.name()));
      }
      return new Backend(Engine.backendName(), features);
    }
  }

  private static Command command(String... argv) {
    Objects.requireNonNull(argv, "argv");
    return Command.of(Arrays.asList(argv));
  }

  private static String withoutTrailingNewline(String text) {
    return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
  }
}

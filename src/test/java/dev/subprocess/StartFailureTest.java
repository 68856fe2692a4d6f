package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.LeakCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Pins how a process that cannot start fails: with {@link ProcessStartException} naming the program, the working
 * directory and the operating system's reason, without leaving a process or descriptor behind (checked by
 * {@link LeakCheck} after each test), and, on the jdk backend, with {@link UnsupportedOperationException} for the
 * options ProcessBuilder cannot honour.
 */
class StartFailureTest {

  @TempDir
  Path dir;

  private static final Path JVM_DIR = Path.of("").toAbsolutePath();

  /** A command that touches none of the test runner's streams. */
  private static Command quiet(Command command) {
    return command.stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).stderr(Redirect.PIPE);
  }

  private static ProcessStartException startFailure(Command command) {
    Throwable error = catchError(command.run());
    assertThat(error).isInstanceOf(ProcessStartException.class);
    return (ProcessStartException) error;
  }

  private static Throwable catchError(Mono<?> mono) {
    Throwable[] caught = new Throwable[1];
    StepVerifier.create(mono).expectErrorSatisfies(e -> caught[0] = e).verify();
    return caught[0];
  }

  // ---------------------------------------------------------------------------------------------- program

  @Test
  void missingProgramOnPath() {
    ProcessStartException e = startFailure(quiet(Command.of("no-such-program-3f9a", "arg")));
    assertThat(e.getMessage())
        .contains("no-such-program-3f9a")
        .contains(JVM_DIR.toString())
        .contains("No such file or directory");
    assertThat(e.errorName()).isEqualTo("ENOENT");
    assertThat(e.reason()).isEqualTo("No such file or directory");
    assertThat(e.command()).containsExactly("no-such-program-3f9a", "arg");
    assertThat(e.workingDirectory()).isEqualTo(JVM_DIR);
  }

  /**
   * With no PATH in the child's environment a bare name is searched on {@code /bin:/usr/bin}, Python's
   * {@code os.defpath} and glibc's {@code execvp} default: a program only in {@code /usr/local/bin} is not found.
   */
  @Test
  void withoutPathTheSearchIsPythonsDefaultPath() throws Exception {
    Path local = Path.of("/usr/local/bin");
    assumeTrue(Files.isDirectory(local) && Files.isWritable(local), "/usr/local/bin is writable (as root)");
    String name = "subprocess-defpath-" + ProcessHandle.current().pid();
    Path program = local.resolve(name);
    Files.writeString(program, "#!/bin/sh\necho found\n");
    try {
      Files.setPosixFilePermissions(program, PosixFilePermissions.fromString("rwxr-xr-x"));
      ProcessStartException e = startFailure(quiet(Command.of(name).env(Map.of("LANG", "C"))));
      assertThat(e.errorName()).isEqualTo("ENOENT");
      assertThat(Command.of(name).env("PATH", local.toString()).captureOutput().run().block().stdoutText())
          .as("the same program on an explicit PATH").isEqualTo("found\n");
      assertThat(Command.of("sh", "-c", "echo sh").env(Map.of("LANG", "C")).captureOutput().run()
          .block().stdoutText()).as("/bin is on the default path").isEqualTo("sh\n");
    } finally {
      Files.delete(program);
    }
  }

  @Test
  void missingProgramByAbsolutePath() {
    Path missing = dir.resolve("missing-program");
    ProcessStartException e = startFailure(quiet(Command.of(missing.toString())));
    assertThat(e.getMessage()).contains(missing.toString()).contains("No such file or directory");
    assertThat(e.errorName()).isEqualTo("ENOENT");
  }

  @Test
  void missingProgramNamesTheConfiguredWorkingDirectory() {
    ProcessStartException e = startFailure(quiet(Command.of("no-such-program-3f9a").cwd(dir)));
    assertThat(e.getMessage()).contains("no-such-program-3f9a").contains(dir.toString());
    assertThat(e.workingDirectory()).isEqualTo(dir.toAbsolutePath());
    assertThat(e.errorName()).isEqualTo("ENOENT");
  }

  @Test
  void missingProgramMessageReadsAsDocumented() {
    ProcessStartException e = startFailure(quiet(Command.of("no-such-program-3f9a").cwd(dir)));
    assertThat(e.getMessage()).startsWith("Cannot run program 'no-such-program-3f9a' in directory " + dir
        + ": No such file or directory (ENOENT)");
  }

  @Test
  void nonExecutableFile() throws Exception {
    Path script = dir.resolve("not-executable.sh");
    Files.writeString(script, "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
    ProcessStartException e = startFailure(quiet(Command.of(script.toString())));
    assertThat(e.getMessage()).contains(script.toString()).contains("Permission denied");
    assertThat(e.errorName()).isEqualTo("EACCES");
    assertThat(e.reason()).isEqualTo("Permission denied");
    assertThat(e.getMessage()).startsWith("Cannot run program '" + script + "' in directory " + JVM_DIR
        + ": Permission denied (EACCES)");
  }

  @Test
  void directoryAsProgram() {
    ProcessStartException e = startFailure(quiet(Command.of(dir.toString())));
    assertThat(e.getMessage()).contains(dir.toString());
    assertThat(e.errorName()).isEqualTo("EACCES");
  }

  @Test
  void startFailureIsProcessStartExceptionAndSubprocessException() {
    ProcessStartException e = startFailure(quiet(Command.of("no-such-program-3f9a")));
    assertThat(e).isInstanceOf(SubprocessException.class).isInstanceOf(RuntimeException.class);
  }

  @Test
  void startFailureIsDeliveredOnSubscriptionNotWhenTheMonoIsMade() {
    Mono<CompletedProcess> run = quiet(Command.of("no-such-program-3f9a")).run();
    assertThat(run).isNotNull();
    assertThat(catchError(run)).isInstanceOf(ProcessStartException.class);
    assertThat(catchError(run)).as("each subscription tries again").isInstanceOf(ProcessStartException.class);
  }

  @Test
  void checkedOneLinersFailWithProcessStartException() {
    assertThat(catchError(Subprocess.checkOutput("no-such-program-3f9a"))).isInstanceOf(ProcessStartException.class);
    assertThat(catchError(Subprocess.call("no-such-program-3f9a"))).isInstanceOf(ProcessStartException.class);
  }

  // ---------------------------------------------------------------------------------------------- cwd

  @Test
  void missingWorkingDirectory() {
    Path missing = dir.resolve("no-such-dir");
    ProcessStartException e = startFailure(quiet(Command.of("pwd").cwd(missing)));
    assertThat(e.getMessage()).contains(missing.toString()).contains("pwd");
    assertThat(e.errorName()).isEqualTo("ENOENT");
    assertThat(e.workingDirectory()).isEqualTo(missing.toAbsolutePath());
  }

  @Test
  void workingDirectoryThatIsAFile() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    ProcessStartException e = startFailure(quiet(Command.of("pwd").cwd(file)));
    assertThat(e.getMessage()).contains(file.toString());
    assertThat(e.errorName()).isEqualTo("ENOTDIR");
  }

  @Test
  void missingWorkingDirectoryIsNotReportedAsAMissingProgram() {
    Path missing = dir.resolve("no-such-dir");
    ProcessStartException e = startFailure(quiet(Command.of("/bin/sh", "-c", "true").cwd(missing)));
    assertThat(e.reason()).contains(missing.toString());
  }

  // ---------------------------------------------------------------------------------------------- redirect files

  @Test
  void missingStdinFile() {
    Path missing = dir.resolve("no-such-input.txt");
    ProcessStartException e = startFailure(
        Command.of("cat").stdin(Redirect.from(missing)).stdout(Redirect.PIPE).stderr(Redirect.PIPE));
    assertThat(e.getMessage()).contains(missing.toString()).contains("cat");
    assertThat(e.errorName()).isEqualTo("ENOENT");
  }

  @Test
  void redirectToFileInMissingDirectory() {
    Path target = dir.resolve("no-such-dir").resolve("out.txt");
    ProcessStartException e = startFailure(
        Command.of("echo", "x").stdin(Redirect.DEVNULL).stdout(Redirect.to(target)).stderr(Redirect.PIPE));
    assertThat(e.getMessage()).contains(target.toString()).contains("No such file or directory").contains("echo");
    assertThat(e.errorName()).isEqualTo("ENOENT");
    assertThat(e.reason()).as("the reason is the OS's, not the JDK's whole message")
        .contains(target.toString())
        .contains("No such file or directory")
        .doesNotContain("Cannot run program");
    assertThat(target.getParent()).doesNotExist();
  }

  @Test
  void appendToFileInMissingDirectory() {
    Path target = dir.resolve("no-such-dir").resolve("log.txt");
    ProcessStartException e = startFailure(
        Command.of("echo", "x").stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).stderr(Redirect.appendTo(target)));
    assertThat(e.getMessage()).contains(target.toString());
    assertThat(e.errorName()).isEqualTo("ENOENT");
  }

  @Test
  void redirectToADirectory() {
    ProcessStartException e = startFailure(
        Command.of("echo", "x").stdin(Redirect.DEVNULL).stdout(Redirect.to(dir)).stderr(Redirect.PIPE));
    assertThat(e.getMessage()).contains(dir.toString()).contains("Is a directory");
    assertThat(e.errorName()).isEqualTo("EISDIR");
    assertThat(e.reason()).doesNotContain("Cannot run program");
  }

  // ---------------------------------------------------------------------------------------------- jdk backend

  private static void assumeJdkBackend() {
    assumeTrue(Engine.backendName().equals("jdk"), "runs on the jdk backend");
  }

  private static UnsupportedOperationException unsupported(Command command) {
    Mono<CompletedProcess> run = quiet(command).run();
    Throwable error = catchError(run);
    assertThat(error).isInstanceOf(UnsupportedOperationException.class);
    assertThat(LeakCheck.children()).as("nothing was spawned").isEmpty();
    return (UnsupportedOperationException) error;
  }

  @Test
  void jdkBackendRefusesPassFds() {
    assumeJdkBackend();
    assertThat(unsupported(Command.of("true").passFds(5)).getMessage()).contains("passFds").contains("jdk");
  }

  @Test
  void jdkBackendRefusesOnSubscriptionNotWhenConfigured() {
    assumeJdkBackend();
    Mono<CompletedProcess> run = quiet(Command.of("true").passFds(5)).run();
    assertThat(catchError(run)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(catchError(run)).as("every subscription").isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void executableEqualToArgvZeroRuns() {
    CompletedProcess done = quiet(Command.of("/bin/sh", "-c", "echo $0").executable(Path.of("/bin/sh")))
        .run().block();
    assertThat(done.returnCode()).isZero();
    assertThat(done.stdoutText()).isEqualTo("/bin/sh\n");
  }

  @Test
  void sigtermSigkillAndPipeSizeAreAccepted() {
    for (int signal : List.of(Signals.SIGTERM, Signals.SIGKILL)) {
      CompletedProcess done = quiet(Command.of("echo", "ok").killSignal(signal).pipeSize(4096)).run().block();
      assertThat(done.stdoutText()).as("killSignal " + signal).isEqualTo("ok\n");
    }
  }
}

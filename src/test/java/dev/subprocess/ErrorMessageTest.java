package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/**
 * Pins the message and the contents of {@link CalledProcessException}: Python's {@code CalledProcessError}
 * message first, then the working directory and the tail of stderr.
 */
class ErrorMessageTest {

  private static final List<String> BOOM = List.of("sh", "-c", "echo boom >&2; exit 1");

  @TempDir
  Path dir;

  private static CalledProcessException calledProcessFailure(Command command) {
    CalledProcessException[] caught = new CalledProcessException[1];
    StepVerifier.create(command.run())
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(CalledProcessException.class);
          caught[0] = (CalledProcessException) e;
        })
        .verify();
    return caught[0];
  }

  @Test
  void messageStartsLikePythonsCalledProcessError() {
    CalledProcessException e = calledProcessFailure(Command.of(BOOM).stdin(Redirect.DEVNULL).captureOutput().check());
    assertThat(e.getMessage()).startsWith("Command '[sh, -c, echo boom >&2; exit 1]' returned non-zero exit status 1.");
  }

  @Test
  void messageNamesTheWorkingDirectoryThenQuotesStderr() {
    CalledProcessException e = calledProcessFailure(
        Command.of(BOOM).cwd(dir).stdin(Redirect.DEVNULL).captureOutput().check());
    String message = e.getMessage();
    String status = "returned non-zero exit status 1.";
    assertThat(message).contains(dir.toString()).contains("boom");
    assertThat(message.indexOf(dir.toString())).isGreaterThan(message.indexOf(status));
    assertThat(message.lastIndexOf("boom")).isGreaterThan(message.indexOf(dir.toString()));
  }

  @Test
  void messageNamesTheJvmWorkingDirectoryByDefault() {
    CalledProcessException e = calledProcessFailure(Command.of(BOOM).stdin(Redirect.DEVNULL).captureOutput().check());
    assertThat(e.getMessage()).contains(Path.of("").toAbsolutePath().toString());
    assertThat(e.workingDirectory()).isEqualTo(Path.of("").toAbsolutePath());
  }

  @Test
  void messageQuotesOnlyTheLastTenLinesOfStderr() {
    String script = "i=1; while [ $i -le 25 ]; do printf 'err-%02d\\n' $i >&2; i=$((i + 1)); done; exit 5";
    CalledProcessException e = calledProcessFailure(
        Command.of("sh", "-c", script).stdin(Redirect.DEVNULL).captureOutput().check());
    String message = e.getMessage();
    for (int i = 16; i <= 25; i++) {
      assertThat(message).contains(String.format("err-%02d", i));
    }
    for (int i = 1; i <= 15; i++) {
      assertThat(message).doesNotContain(String.format("err-%02d", i));
    }
    assertThat(message.indexOf("err-16")).isLessThan(message.indexOf("err-25"));
    assertThat(new String(e.stderr(), StandardCharsets.UTF_8)).contains("err-01").contains("err-25");
  }

  @Test
  void messageWithoutStderrSaysNothingAboutStderr() {
    CalledProcessException e = calledProcessFailure(
        Command.of("sh", "-c", "exit 2").stdin(Redirect.DEVNULL).captureOutput().check());
    assertThat(e.getMessage()).startsWith("Command '[sh, -c, exit 2]' returned non-zero exit status 2.")
        .doesNotContain("stderr");
  }

  @Test
  void messageWhenStderrWasNotCaptured() {
    CalledProcessException e = calledProcessFailure(
        Command.of("sh", "-c", "echo out; exit 3").stdin(Redirect.DEVNULL).stdout(Redirect.PIPE)
            .stderr(Redirect.DEVNULL).check());
    assertThat(e.getMessage()).startsWith("Command '[sh, -c, echo out; exit 3]' returned non-zero exit status 3.");
    assertThat(e.stderr()).isNull();
    assertThat(e.stdout()).isEqualTo("out\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void negativeReturnCodeSaysWhichSignalKilledTheProcess() {
    CalledProcessException e = new CalledProcessException(List.of("sleep", "100"), -9, null, null);
    assertThat(e.getMessage()).startsWith("Command '[sleep, 100]' died with signal 9 (SIGKILL).");
    assertThat(e.returnCode()).isEqualTo(-9);
  }

  @Test
  void negativeReturnCodeNamesOtherSignals() {
    assertThat(new CalledProcessException(List.of("x"), -15, null, null).getMessage())
        .startsWith("Command '[x]' died with signal 15 (SIGTERM).");
    assertThat(new CalledProcessException(List.of("x"), -6, null, null).getMessage())
        .startsWith("Command '[x]' died with signal 6 (SIGABRT).");
  }

  @Test
  void directlyConstructedExceptionNamesTheGivenDirectoryAndStderr() {
    CalledProcessException e = new CalledProcessException(List.of("make"), dir, 2, null,
        "first\nsecond\n".getBytes(StandardCharsets.UTF_8));
    assertThat(e.getMessage())
        .startsWith("Command '[make]' returned non-zero exit status 2.")
        .contains(dir.toString())
        .contains("first")
        .contains("second");
    assertThat(e.workingDirectory()).isEqualTo(dir);
    assertThat(e.command()).containsExactly("make");
  }

  @Test
  void exceptionCarriesWhatWasCaptured() {
    List<String> argv = List.of("sh", "-c", "echo out; echo err >&2; exit 7");
    CalledProcessException e = calledProcessFailure(Command.of(argv).cwd(dir).stdin(Redirect.DEVNULL)
        .captureOutput().check());
    assertThat(e.command()).isEqualTo(argv);
    assertThat(e.returnCode()).isEqualTo(7);
    assertThat(e.stdout()).isEqualTo("out\n".getBytes(StandardCharsets.UTF_8));
    assertThat(e.stderr()).isEqualTo("err\n".getBytes(StandardCharsets.UTF_8));
    assertThat(e.workingDirectory()).isEqualTo(dir.toAbsolutePath());
    assertThat(e).isInstanceOf(SubprocessException.class);
  }

  @Test
  void runWithoutCheckDoesNotFailOnNonZeroStatus() {
    StepVerifier.create(Command.of(BOOM).stdin(Redirect.DEVNULL).captureOutput().run())
        .assertNext(done -> assertThat(done.returnCode()).isEqualTo(1))
        .verifyComplete();
  }

  @Test
  void checkDoesNotFailOnZeroStatus() {
    StepVerifier.create(Command.of("sh", "-c", "echo ok").stdin(Redirect.DEVNULL).captureOutput().check().run())
        .assertNext(done -> assertThat(done.stdoutText()).isEqualTo("ok\n"))
        .verifyComplete();
  }

  @Test
  void checkReturnCodeOfARealRunThrowsWithEverything() {
    CompletedProcess done = Command.of(BOOM).cwd(dir).stdin(Redirect.DEVNULL).captureOutput().run().block();
    assertThatThrownBy(done::checkReturnCode)
        .isInstanceOfSatisfying(CalledProcessException.class, e -> {
          assertThat(e.getMessage())
              .startsWith("Command '[sh, -c, echo boom >&2; exit 1]' returned non-zero exit status 1.")
              .contains(dir.toString())
              .contains("boom");
          assertThat(e.returnCode()).isEqualTo(1);
          assertThat(e.command()).isEqualTo(BOOM);
          assertThat(e.stdout()).isEmpty();
          assertThat(e.stderr()).isEqualTo("boom\n".getBytes(StandardCharsets.UTF_8));
          assertThat(e.workingDirectory()).isEqualTo(dir.toAbsolutePath());
        });
  }

  @Test
  void checkReturnCodeReturnsTheSameResultOnZero() {
    CompletedProcess done = Command.of("true").stdin(Redirect.DEVNULL).captureOutput().run().block();
    assertThat(done.checkReturnCode()).isSameAs(done);
  }

  @Test
  void checkReturnCodeOfAConstructedResult() {
    CompletedProcess failed = new CompletedProcess(List.of("grep", "x"), 1, new byte[0], null);
    assertThatThrownBy(failed::checkReturnCode)
        .isInstanceOfSatisfying(CalledProcessException.class, e -> {
          assertThat(e.getMessage()).startsWith("Command '[grep, x]' returned non-zero exit status 1.");
          assertThat(e.returnCode()).isEqualTo(1);
          assertThat(e.stdout()).isEmpty();
          assertThat(e.stderr()).isNull();
          assertThat(e.workingDirectory()).isEqualTo(Path.of("").toAbsolutePath());
        });
    CompletedProcess signalled = new CompletedProcess(List.of("sleep", "9"), -9, null, null);
    assertThatThrownBy(signalled::checkReturnCode)
        .hasMessageStartingWith("Command '[sleep, 9]' died with signal 9 (SIGKILL).");
  }
}

package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Pins the options of {@link Command} that follow Python's {@code subprocess}: exit codes that are no failure,
 * shell arguments and path programs, conflicting streams refused, timeouts of zero or less, decoding errors of the
 * captured text, and the messages Python prints for a failed process.
 */
class PythonCommandOptionsTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  // ------------------------------------------------------------------------------------------------ okExitCodes

  @Test
  void aCheckedRunPassesWithAnAllowedExitCode() {
    CompletedProcess done = Command.of("grep", "needle").input("hay\nstack\n").captureOutput().okExitCodes(1)
        .check().run().block(LIMIT);
    assertThat(done.returnCode()).isEqualTo(1);
    assertThat(done.stdoutText()).isEmpty();
  }

  @Test
  void aCheckedRunStillFailsWithoutTheAllowedCode() {
    StepVerifier.create(Command.of("grep", "needle").input("hay\n").captureOutput().check().run())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(CalledProcessException.class)
            .hasMessageStartingWith("Command '[grep, needle]' returned non-zero exit status 1."))
        .verify(LIMIT);
    StepVerifier.create(Command.shell("exit 2").stdin(Redirect.DEVNULL).okExitCodes(1).check().run())
        .expectErrorSatisfies(e -> assertThat(((CalledProcessException) e).returnCode()).isEqualTo(2))
        .verify(LIMIT);
  }

  @Test
  void outputAndLinesCompleteWithAnAllowedExitCode() {
    Command grep = Command.of("grep", "needle").input("hay\nstack\n").okExitCodes(1);
    StepVerifier.create(grep.lines()).expectComplete().verify(LIMIT);
    StepVerifier.create(grep.output()).expectComplete().verify(LIMIT);
    StepVerifier.create(Command.of("grep", "needle").input("hay\n").lines())
        .expectError(CalledProcessException.class)
        .verify(LIMIT);
    StepVerifier.create(Command.of("grep", "a").input("hay\nstack\nno\n").okExitCodes(1).lines())
        .expectNext("hay", "stack")
        .expectComplete()
        .verify(LIMIT);
  }

  @Test
  void allowedExitCodesLeaveCheckReturnCodeAndTheCommandAsTheyWere() {
    int[] codes = {1};
    Command grep = Command.of("grep", "needle").input("hay\n").captureOutput().okExitCodes(codes).check();
    codes[0] = 2;
    CompletedProcess done = grep.run().block(LIMIT);
    assertThat(done.returnCode()).isEqualTo(1);
    assertThatThrownBy(done::checkReturnCode).isInstanceOf(CalledProcessException.class);
  }

  // ------------------------------------------------------------------------------------ shell arguments, paths

  @Test
  void shellArgumentsAreDollarZeroAndTheNumberedParameters() {
    Command command = Command.shell("printf '%s|' \"$0\" \"$1\" \"$2\" \"$#\"", "zero", "one", "two words");
    assertThat(command.args()).containsExactly("/bin/sh", "-c", "printf '%s|' \"$0\" \"$1\" \"$2\" \"$#\"",
        "zero", "one", "two words");
    CompletedProcess done = command.stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).run().block(LIMIT);
    assertThat(done.stdoutText()).isEqualTo("zero|one|two words|2|");
  }

  @Test
  void shellWithOnlyDollarZeroHasNoParameters() {
    CompletedProcess done = Command.shell("echo \"$0:$#\"", "name").stdin(Redirect.DEVNULL)
        .stdout(Redirect.PIPE).run().block(LIMIT);
    assertThat(done.stdoutText()).isEqualTo("name:0\n");
  }

  @Test
  void aPathProgramRunsThatFile() throws IOException {
    Path tool = dir.resolve("tool");
    Files.writeString(tool, "#!/bin/sh\necho \"tool $1\"\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
    Command command = Command.of(tool, "ran");
    assertThat(command.args()).containsExactly(tool.toString(), "ran");
    assertThat(command.stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).run().block(LIMIT).stdoutText())
        .isEqualTo("tool ran\n");
  }

  @Test
  void aPathWithoutDirectoryIsLookedUpAsPythonLooksItUp() {
    CompletedProcess done = Command.of(Path.of("echo"), "found").stdin(Redirect.DEVNULL).stdout(Redirect.PIPE)
        .run().block(LIMIT);
    assertThat(done.stdoutText()).isEqualTo("found\n");
  }

  // ------------------------------------------------------------------------------------- conflicts are refused

  @Test
  void captureOutputAndAStreamRedirectAreRefusedInEitherOrder() {
    Command sh = Command.shell("echo never");
    assertThatThrownBy(() -> sh.captureOutput().stdout(Redirect.DEVNULL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stdout(DEVNULL)").hasMessageContaining("captureOutput()");
    assertThatThrownBy(() -> sh.captureOutput().stderr(Redirect.STDOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stderr(STDOUT)").hasMessageContaining("captureOutput()")
        .hasMessageContaining("stdout(Redirect.PIPE).stderr(Redirect.STDOUT)");
    Path file = dir.resolve("out");
    assertThatThrownBy(() -> sh.stdout(Redirect.to(file)).captureOutput())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stdout(WRITE " + file + ")").hasMessageContaining("captureOutput()");
    assertThatThrownBy(() -> sh.stderr(Redirect.PIPE).captureOutput())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stderr(PIPE)").hasMessageContaining("captureOutput()");
    assertThat(Files.exists(file)).isFalse();
  }

  @Test
  void inputAndAStdinRedirectAreRefusedInEitherOrder() {
    Command cat = Command.of("cat");
    assertThatThrownBy(() -> cat.stdin(Redirect.INHERIT).input("x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stdin(INHERIT)").hasMessageContaining("input(...)");
    assertThatThrownBy(() -> cat.input(new byte[] {1}).stdin(Redirect.PIPE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stdin(PIPE)").hasMessageContaining("input(...)");
    assertThatThrownBy(() -> cat.stdin(Redirect.DEVNULL).pipe(Flux.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stdin(DEVNULL)").hasMessageContaining("pipe(...)");
  }

  @Test
  void captureOutputAndInputStillCombineWithWhatTheyDoNotTouch() {
    CompletedProcess done = Command.shell("cat; echo err >&2").input("in\n").input("again\n").captureOutput()
        .captureOutput().run().block(LIMIT);
    assertThat(done.stdoutText()).isEqualTo("again\n");
    assertThat(done.stderrText()).isEqualTo("err\n");
    assertThat(Command.of("cat").input("x").captureOutput().toString())
        .isEqualTo("Command[cat] stdin=PIPE stdout=PIPE stderr=PIPE");
  }

  // ------------------------------------------------------------------------------------ timeouts of zero or less

  @Test
  void aZeroTimeoutExpiresAtOnceEvenForAQuickProcess() {
    StepVerifier.create(Command.of("true").stdin(Redirect.DEVNULL).captureOutput().timeout(Duration.ZERO).run())
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(TimeoutExpiredException.class)
              .hasMessageStartingWith("Command '[true]' timed out after 0 seconds.");
          assertThat(((TimeoutExpiredException) e).timeout()).isEqualTo(Duration.ZERO);
        })
        .verify(LIMIT);
  }

  @Test
  void aNegativeTimeoutExpiresAtOnceAndQuotesTheTimeoutGiven() {
    StepVerifier.create(Command.shell("exec sleep 60").stdin(Redirect.DEVNULL).timeout(Duration.ofSeconds(-1))
            .lines())
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(TimeoutExpiredException.class)
              .hasMessageStartingWith("Command 'exec sleep 60' timed out after -1 seconds.");
          assertThat(((TimeoutExpiredException) e).timeout()).isEqualTo(Duration.ofSeconds(-1));
        })
        .verify(LIMIT);
    StepVerifier.create(Command.of("sleep", "60").stdin(Redirect.DEVNULL).timeout(Duration.ofMillis(-500))
            .output())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TimeoutExpiredException.class)
            .hasMessageContaining("timed out after -0.5 seconds."))
        .verify(LIMIT);
  }

  @Test
  void aTimeoutBelowAMillisecondIsQuotedAsGiven() {
    StepVerifier.create(Command.of("sleep", "60").stdin(Redirect.DEVNULL).timeout(Duration.ofNanos(500_000)).run())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TimeoutExpiredException.class)
            .hasMessageStartingWith("Command '[sleep, 60]' timed out after 0.0005 seconds."))
        .verify(LIMIT);
    assertThat(new TimeoutExpiredException(List.of("x"), dir, Duration.ofNanos(-1), null, null))
        .hasMessageStartingWith("Command '[x]' timed out after -0.000000001 seconds.");
    assertThat(new TimeoutExpiredException(List.of("x"), dir, Duration.ofMillis(1500), null, null))
        .hasMessageStartingWith("Command '[x]' timed out after 1.5 seconds.");
  }

  @Test
  void aZeroTimeoutStartsTheProcessThenStopsIt() {
    RunningProcess p = Command.of("sleep", "60").stdin(Redirect.DEVNULL).stdout(Redirect.PIPE)
        .timeout(Duration.ZERO).start().block(LIMIT);
    assertThat(p.pid()).isPositive();
    assertThat(p.exitCode().block(LIMIT)).isIn(-Signals.SIGTERM, 128 + Signals.SIGTERM);
    StepVerifier.create(p.communicate())
        .expectError(TimeoutExpiredException.class)
        .verify(LIMIT);
  }

  // ------------------------------------------------------------------------------------- decoding errors

  @Test
  void capturedTextHonoursTheDecodingErrors() {
    Command bad = Command.shell("printf 'a\\377b'; printf 'c\\376d' >&2").stdin(Redirect.DEVNULL).captureOutput();
    CompletedProcess strict = bad.run().block(LIMIT);
    assertThatThrownBy(strict::stdoutText).isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("stdout is not valid UTF-8");
    CompletedProcess replaced = bad.encodingErrors(CodingErrorAction.REPLACE).run().block(LIMIT);
    assertThat(replaced.stdoutText()).isEqualTo("a\uFFFDb");
    assertThat(replaced.stderrText()).isEqualTo("c\uFFFDd");
    CompletedProcess ignored = bad.encodingErrors(CodingErrorAction.IGNORE).run().block(LIMIT);
    assertThat(ignored.stdoutText()).isEqualTo("ab");
    assertThat(ignored.stderrText()).isEqualTo("cd");
    assertThat(ignored.encodingErrors()).isEqualTo(CodingErrorAction.IGNORE);
  }

  @Test
  void communicatedTextHonoursTheDecodingErrors() {
    RunningProcess p = Command.shell("printf 'x\\377y'").stdin(Redirect.DEVNULL).stdout(Redirect.PIPE)
        .encodingErrors(CodingErrorAction.REPLACE).start().block(LIMIT);
    assertThat(p.communicate().block(LIMIT).stdoutText()).isEqualTo("x\uFFFDy");
  }

  @Test
  void inputTextTheEncodingCannotCarryFailsTheRunBeforeAnythingStarts() {
    Path started = dir.resolve("started");
    Command ascii = Command.of("sh", "-c", ": > \"$0\"; cat", started.toString()).input("caf\u00e9 au lait")
        .encoding(StandardCharsets.US_ASCII).captureOutput();
    StepVerifier.create(ascii.run())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("input(text)")
            .hasMessageContaining("[sh, -c")
            .hasMessageContaining("U+00E9 at index 3")
            .hasMessageContaining("cannot be encoded in US-ASCII")
            .hasMessageContaining("encodingErrors"))
        .verify(LIMIT);
    assertThat(started).as("nothing was started").doesNotExist();
    // A lone surrogate is no character of any encoding: refused as well, by its index.
    StepVerifier.create(Command.of("cat").input("ab\uD800c").captureOutput().run())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("U+D800 at index 2").hasMessageContaining("UTF-8"))
        .verify(LIMIT);
  }

  @Test
  void inputTextHonoursTheEncodingErrors() {
    Command ascii = Command.of("cat").input("caf\u00e9!").encoding(StandardCharsets.US_ASCII).captureOutput();
    assertThat(ascii.encodingErrors(CodingErrorAction.REPLACE).run().block(LIMIT).stdout())
        .isEqualTo("caf?!".getBytes(StandardCharsets.US_ASCII));
    assertThat(ascii.encodingErrors(CodingErrorAction.IGNORE).run().block(LIMIT).stdout())
        .isEqualTo("caf!".getBytes(StandardCharsets.US_ASCII));
    assertThat(Command.of("cat").input("caf\u00e9").captureOutput().run().block(LIMIT).stdout())
        .isEqualTo("caf\u00e9".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void communicatedTextIsEncodedWithTheEncodingErrorsToo() {
    RunningProcess p = Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE)
        .encoding(StandardCharsets.US_ASCII).encodingErrors(CodingErrorAction.REPLACE).start().block(LIMIT);
    assertThat(p.communicate("na\u00efve").block(LIMIT).stdout())
        .isEqualTo("na?ve".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void writtenTextIsEncodedWithTheEncodingErrorsToo() {
    RunningProcess replacing = Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE)
        .encoding(StandardCharsets.US_ASCII).encodingErrors(CodingErrorAction.REPLACE).start().block(LIMIT);
    replacing.write("na\u00efve").block(LIMIT);
    assertThat(replacing.communicate().block(LIMIT).stdout()).isEqualTo("na?ve".getBytes(StandardCharsets.US_ASCII));
    RunningProcess strict = Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE)
        .encoding(StandardCharsets.US_ASCII).start().block(LIMIT);
    StepVerifier.create(strict.write("na\u00efve"))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("write(text)").hasMessageContaining("U+00EF at index 2"))
        .verify(LIMIT);
    assertThat(strict.communicate().block(LIMIT).stdout()).isEmpty();
  }

  @Test
  void textSentInAConversationIsEncodedWithTheEncodingErrorsToo() {
    RunningProcess strict = Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE).start().block(LIMIT);
    Conversation refusing = Conversation.of(strict, StandardCharsets.US_ASCII);
    StepVerifier.create(refusing.send("na\u00efve"))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("send(text)").hasMessageContaining("[cat]")
            .hasMessageContaining("U+00EF at index 2").hasMessageContaining("cannot be encoded in US-ASCII")
            .hasMessageContaining("encodingErrors"))
        .verify(LIMIT);
    refusing.send("plain").then(refusing.sendEof()).block(LIMIT);
    assertThat(refusing.expectEnd(LIMIT).block(LIMIT)).as("nothing of the refused text was sent").isEqualTo("plain");
    assertThat(strict.exitCode().block(LIMIT)).isZero();
    RunningProcess replacing = Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE)
        .encodingErrors(CodingErrorAction.REPLACE).start().block(LIMIT);
    Conversation replaced = Conversation.of(replacing, StandardCharsets.US_ASCII);
    replaced.send("na\u00efve").then(replaced.sendEof()).block(LIMIT);
    assertThat(replaced.expectEnd(LIMIT).block(LIMIT)).isEqualTo("na?ve");
    assertThat(replacing.exitCode().block(LIMIT)).isZero();
  }

  @Test
  void resultsBuiltWithoutDecodingErrorsDecodeStrictly() {
    CompletedProcess done = new CompletedProcess(List.of("x"), 0, new byte[] {(byte) 0xff}, null);
    assertThat(done.encodingErrors()).isEqualTo(CodingErrorAction.REPORT);
    assertThatThrownBy(done::stdoutText).isInstanceOf(UncheckedIOException.class);
    assertThat(new CompletedProcess(List.of("x"), 0, new byte[] {(byte) 0xff}, null, StandardCharsets.UTF_8,
        dir, null, CodingErrorAction.REPLACE).stdoutText()).isEqualTo("\uFFFD");
  }

  // ------------------------------------------------------------------------------------- messages like Python's

  @Test
  void anUnknownSignalIsCalledUnknown() {
    assertThat(new CalledProcessException(List.of("x"), -9876543, null, null).getMessage())
        .startsWith("Command '[x]' died with unknown signal 9876543.");
    assertThat(new CalledProcessException(List.of("x"), Integer.MIN_VALUE, null, null).getMessage())
        .startsWith("Command '[x]' died with unknown signal 2147483648.");
    assertThat(new CalledProcessException(List.of("x"), -35, null, null).getMessage())
        .startsWith("Command '[x]' died with signal 35 (SIGRTMIN+1).");
  }

  @Test
  void aShellCommandIsNamedByItsScript() {
    StepVerifier.create(Command.shell("exit 1").stdin(Redirect.DEVNULL).check().run())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(CalledProcessException.class)
            .hasMessageStartingWith("Command 'exit 1' returned non-zero exit status 1."))
        .verify(LIMIT);
    StepVerifier.create(Command.shell("exit \"$1\"", "zero", "3").stdin(Redirect.DEVNULL).check().run())
        .expectErrorSatisfies(e -> assertThat(e)
            .hasMessageStartingWith("Command '[/bin/sh, -c, exit \"$1\", zero, 3]' returned non-zero exit status 3."))
        .verify(LIMIT);
  }
}

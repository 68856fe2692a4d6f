package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins where a child's environment, working directory, arguments and standard streams come from and go to, and
 * how captured output is decoded, against real processes.
 */
class RedirectAndEnvironmentTest {

  private static final String ENV = "/usr/bin/env";

  @TempDir
  Path dir;

  /** Runs {@code command} with stdin from /dev/null and stdout captured, stderr captured too. */
  private static CompletedProcess capture(Command command) {
    return command.stdin(Redirect.DEVNULL).captureOutput().run().block();
  }

  private static List<String> lines(String text) {
    return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
  }

  // ---------------------------------------------------------------------------------------------- environment

  @Test
  void envMapReplacesTheWholeEnvironment() {
    CompletedProcess done = capture(Command.of(ENV).env(Map.of("ONLY", "this one")));
    assertThat(done.returnCode()).isZero();
    assertThat(done.stdoutText()).isEqualTo("ONLY=this one\n");
  }

  @Test
  void emptyEnvMapGivesAnEmptyEnvironment() {
    CompletedProcess done = capture(Command.of(ENV).env(Map.of()));
    assertThat(done.returnCode()).isZero();
    assertThat(done.stdoutText()).isEmpty();
  }

  @Test
  void envNameValueAddsOnTopOfTheInheritedEnvironment() {
    String path = System.getenv("PATH");
    assumeTrue(path != null, "the test JVM has a PATH");
    CompletedProcess done = capture(Command.of(ENV).env("ADDED_VAR", "added value"));
    assertThat(lines(done.stdoutText())).contains("ADDED_VAR=added value", "PATH=" + path);
  }

  @Test
  void envNameValueOverridesAnInheritedVariable() {
    assumeTrue(System.getenv("PATH") != null, "the test JVM has a PATH");
    CompletedProcess done = capture(Command.of(ENV).env("PATH", "/overridden"));
    assertThat(lines(done.stdoutText())).contains("PATH=/overridden").doesNotContain("PATH=" + System.getenv("PATH"));
  }

  @Test
  void envNameValueAddsOnTopOfEnvMap() {
    Map<String, String> base = new LinkedHashMap<>();
    base.put("A", "1");
    base.put("B", "2");
    CompletedProcess done = capture(Command.of(ENV).env(base).env("C", "3").env("A", "one"));
    assertThat(lines(done.stdoutText())).containsExactlyInAnyOrder("A=one", "B=2", "C=3");
  }

  @Test
  void envMapDropsVariablesAddedBefore() {
    CompletedProcess done = capture(Command.of(ENV).env("EARLIER", "x").env(Map.of("LATER", "y")));
    assertThat(done.stdoutText()).isEqualTo("LATER=y\n");
  }

  @Test
  void envValuesReachTheChildByteForByte() {
    String value = "sp ace 'q' \"dq\" $HOME * \\ ünï€ 😀";
    CompletedProcess done = capture(Command.of(ENV).env(Map.of("V", value, "EMPTY", "")));
    assertThat(lines(done.stdoutText())).containsExactlyInAnyOrder("V=" + value, "EMPTY=");
  }

  // ---------------------------------------------------------------------------------------------- cwd and shell

  @Test
  void cwdSetsTheWorkingDirectory() throws Exception {
    CompletedProcess done = capture(Command.of("pwd", "-P").cwd(dir));
    assertThat(done.stdoutText()).isEqualTo(dir.toRealPath() + "\n");
  }

  @Test
  void withoutCwdTheChildRunsInTheJvmWorkingDirectory() throws Exception {
    CompletedProcess done = capture(Command.of("pwd", "-P"));
    assertThat(done.stdoutText()).isEqualTo(Path.of("").toAbsolutePath().toRealPath() + "\n");
  }

  @Test
  void relativeFilesOfTheChildAreRelativeToCwd() throws Exception {
    Files.writeString(dir.resolve("here.txt"), "found\n");
    CompletedProcess done = capture(Command.of("cat", "here.txt").cwd(dir));
    assertThat(done.stdoutText()).isEqualTo("found\n");
  }

  @Test
  void shellRunsTheScriptWithBinShDashC() {
    Command command = Command.shell("x=$((40 + 2)); echo \"$x\" | cat; echo \"$0\"");
    assertThat(command.args()).containsExactly("/bin/sh", "-c", "x=$((40 + 2)); echo \"$x\" | cat; echo \"$0\"");
    CompletedProcess done = capture(command);
    assertThat(done.stdoutText()).isEqualTo("42\n/bin/sh\n");
  }

  @Test
  void shellExitStatusIsTheReturnCode() {
    assertThat(capture(Command.shell("exit 7")).returnCode()).isEqualTo(7);
  }

  // ---------------------------------------------------------------------------------------------- file redirects

  @Test
  void redirectToTruncatesTheFile() throws Exception {
    Path out = dir.resolve("out.txt");
    Files.writeString(out, "old content that is longer than the new one\n");
    CompletedProcess done = Command.of("echo", "new").stdin(Redirect.DEVNULL).stdout(Redirect.to(out))
        .stderr(Redirect.PIPE).run().block();
    assertThat(done.returnCode()).isZero();
    assertThat(done.stdout()).isNull();
    assertThat(Files.readString(out)).isEqualTo("new\n");
  }

  @Test
  void redirectToCreatesAMissingFile() throws Exception {
    Path out = dir.resolve("created.txt");
    Command.of("echo", "made").stdin(Redirect.DEVNULL).stdout(Redirect.to(out)).run().block();
    assertThat(Files.readString(out)).isEqualTo("made\n");
  }

  @Test
  void appendToAppendsToTheFile() throws Exception {
    Path out = dir.resolve("log.txt");
    Files.writeString(out, "first\n");
    Command second = Command.of("echo", "second").stdin(Redirect.DEVNULL).stdout(Redirect.appendTo(out));
    second.run().block();
    second.run().block();
    assertThat(Files.readString(out)).isEqualTo("first\nsecond\nsecond\n");
  }

  @Test
  void appendToCreatesAMissingFile() throws Exception {
    Path out = dir.resolve("new-log.txt");
    Command.of("echo", "one").stdin(Redirect.DEVNULL).stdout(Redirect.appendTo(out)).run().block();
    assertThat(Files.readString(out)).isEqualTo("one\n");
  }

  @Test
  void stderrToFileWhileStdoutIsCaptured() throws Exception {
    Path err = dir.resolve("err.txt");
    CompletedProcess done = Command.shell("echo out; echo err >&2").stdin(Redirect.DEVNULL)
        .stdout(Redirect.PIPE).stderr(Redirect.to(err)).run().block();
    assertThat(done.stdoutText()).isEqualTo("out\n");
    assertThat(done.stderr()).isNull();
    assertThat(Files.readString(err)).isEqualTo("err\n");
  }

  @Test
  void redirectFromFeedsStdinFromTheFile() throws Exception {
    Path in = dir.resolve("in.txt");
    byte[] content = "line one\nline two\n\u00e9\n".getBytes(StandardCharsets.UTF_8);
    Files.write(in, content);
    CompletedProcess done = Command.of("cat").stdin(Redirect.from(in)).captureOutput().run().block();
    assertThat(done.stdout()).isEqualTo(content);
    assertThat(done.returnCode()).isZero();
  }

  // ---------------------------------------------------------------------------------------------- DEVNULL and PIPE

  @Test
  void devnullStdinGivesImmediateEof() {
    CompletedProcess done = Command.of("cat").stdin(Redirect.DEVNULL).captureOutput().run().block();
    assertThat(done.returnCode()).isZero();
    assertThat(done.stdout()).isEmpty();
  }

  @Test
  void devnullStdinMakesReadFail() {
    CompletedProcess done = capture(Command.shell("if read line; then echo got; else echo eof; fi"));
    assertThat(done.stdoutText()).isEqualTo("eof\n");
  }

  @Test
  void pipedStdinWithoutInputIsClosedAtOnce() {
    CompletedProcess done = Command.of("cat").stdin(Redirect.PIPE).captureOutput().run().block();
    assertThat(done.returnCode()).isZero();
    assertThat(done.stdout()).isEmpty();
  }

  @Test
  void devnullStdoutDiscardsOutputAndIsNotCaptured() {
    CompletedProcess done = Command.shell("head -c 100000 /dev/zero; echo written=$? >&2")
        .stdin(Redirect.DEVNULL).stdout(Redirect.DEVNULL).stderr(Redirect.PIPE).run().block();
    assertThat(done.returnCode()).isZero();
    assertThat(done.stdout()).isNull();
    assertThat(done.stderrText()).isEqualTo("written=0\n");
  }

  @Test
  void devnullStderrDiscardsErrors() {
    CompletedProcess done = Command.shell("echo out; echo err >&2").stdin(Redirect.DEVNULL)
        .stdout(Redirect.PIPE).stderr(Redirect.DEVNULL).run().block();
    assertThat(done.stdoutText()).isEqualTo("out\n");
    assertThat(done.stderr()).isNull();
  }

  @Test
  void stderrToStdoutMergesInOrder() {
    CompletedProcess done = Command.shell("echo 1; echo 2 >&2; echo 3; echo 4 >&2; echo 5")
        .stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).stderr(Redirect.STDOUT).run().block();
    assertThat(done.stdoutText()).isEqualTo("1\n2\n3\n4\n5\n");
    assertThat(done.stderr()).isNull();
  }

  @Test
  void stderrToStdoutFollowsStdoutIntoAFile() throws Exception {
    Path out = dir.resolve("both.txt");
    Command.shell("echo a; echo b >&2").stdin(Redirect.DEVNULL).stdout(Redirect.to(out))
        .stderr(Redirect.STDOUT).run().block();
    assertThat(Files.readString(out)).isEqualTo("a\nb\n");
  }

  @Test
  void stdoutPipeAloneCapturesStdoutOnly() {
    CompletedProcess done = Command.shell("echo out; echo err >&2").stdin(Redirect.DEVNULL)
        .stdout(Redirect.PIPE).stderr(Redirect.DEVNULL).run().block();
    assertThat(done.stdoutText()).isEqualTo("out\n");
    assertThat(done.stderr()).isNull();
    assertThat(done.stderrText()).isNull();
  }

  @Test
  void stderrPipeAloneCapturesStderrOnly() {
    CompletedProcess done = Command.shell("echo out; echo err >&2").stdin(Redirect.DEVNULL)
        .stdout(Redirect.DEVNULL).stderr(Redirect.PIPE).run().block();
    assertThat(done.stderrText()).isEqualTo("err\n");
    assertThat(done.stdout()).isNull();
    assertThat(done.stdoutText()).isNull();
  }

  @Test
  void uncapturedStreamsAreNull() {
    CompletedProcess done = Command.of("true").stdin(Redirect.DEVNULL).stdout(Redirect.DEVNULL)
        .stderr(Redirect.DEVNULL).run().block();
    assertThat(done.stdout()).isNull();
    assertThat(done.stderr()).isNull();
  }

  // ---------------------------------------------------------------------------------------------- arguments

  @Test
  void argumentsReachTheChildByteForByte() {
    String[] args = {
      "two words", "  leading and trailing  ", "'single'", "\"double\"", "$HOME", "${PATH}", "`id`", "$(id)",
      "*", "?", "[a-z]", "~", "a;b", "a|b", "a&&b", "<in", ">out", "back\\slash", "tab\there", "#hash",
      "ünïcödé", "€", "😀", "日本語", "", "-n", "--", "%s"
    };
    String[] argv = new String[args.length + 1];
    argv[0] = "%s\n";
    System.arraycopy(args, 0, argv, 1, args.length);
    CompletedProcess done = capture(Command.of("printf", argv));
    StringBuilder expected = new StringBuilder();
    for (String arg : args) {
      expected.append(arg).append('\n');
    }
    assertThat(done.returnCode()).isZero();
    assertThat(done.stdout()).isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void emptyArgumentIsPassedAsAnArgument() {
    CompletedProcess done = capture(Command.of("sh", "-c", "echo $#", "zero", "", "", "x"));
    assertThat(done.stdoutText()).isEqualTo("3\n");
  }

  @Test
  void newlineInsideAnArgumentIsKept() {
    CompletedProcess done = capture(Command.of("printf", "[%s]", "line one\nline two"));
    assertThat(done.stdoutText()).isEqualTo("[line one\nline two]");
  }

  // ---------------------------------------------------------------------------------------------- encoding

  @Test
  void stringInputIsEncodedWithTheEncoding() {
    CompletedProcess done = Command.of("cat").encoding(StandardCharsets.ISO_8859_1).input("é?")
        .captureOutput().run().block();
    assertThat(done.stdout()).containsExactly(0xE9, '?');
    // ISO-8859-1 has no €: strictly (the default) the run fails, and with REPLACE the encoder writes '?'.
    CompletedProcess replaced = Command.of("cat").encoding(StandardCharsets.ISO_8859_1).input("é€?")
        .encodingErrors(java.nio.charset.CodingErrorAction.REPLACE).captureOutput().run().block();
    assertThat(replaced.stdout()).containsExactly(0xE9, '?', '?');
  }

  @Test
  void stringInputIsUtf8ByDefault() {
    CompletedProcess done = Command.of("cat").input("é").captureOutput().run().block();
    assertThat(done.stdout()).containsExactly(0xC3, 0xA9);
  }

  @Test
  void utf16InputIsEncodedAsUtf16() {
    CompletedProcess done = Command.of("cat").encoding(StandardCharsets.UTF_16LE).input("hi")
        .captureOutput().run().block();
    assertThat(done.stdout()).containsExactly('h', 0, 'i', 0);
    assertThat(done.stdoutText()).isEqualTo("hi");
  }

  @Test
  void stdoutTextIsDecodedWithTheEncoding() {
    CompletedProcess done = capture(Command.of("printf", "caf\\351").encoding(StandardCharsets.ISO_8859_1));
    assertThat(done.stdout()).hasSize(4);
    assertThat(done.stdoutText()).isEqualTo("café");
  }

  @Test
  void stderrTextIsDecodedWithTheEncoding() {
    CompletedProcess done = capture(Command.shell("printf 'caf\\351' >&2").encoding(StandardCharsets.ISO_8859_1));
    assertThat(done.stderrText()).isEqualTo("café");
  }

  @Test
  void stdoutTextIsUtf8ByDefault() {
    CompletedProcess done = capture(Command.of("printf", "%s", "ünï€😀"));
    assertThat(done.stdoutText()).isEqualTo("ünï€😀");
  }

  @Test
  void textAccessorsTranslateUniversalNewlines() {
    CompletedProcess done = capture(Command.shell("printf 'a\\r\\nb\\rc\\nd\\r\\r\\ne'; printf 'x\\r\\ny\\r' >&2"));
    assertThat(done.stdoutText()).isEqualTo("a\nb\nc\nd\n\ne");
    assertThat(done.stderrText()).isEqualTo("x\ny\n");
    assertThat(done.stdout()).contains('\r');
  }

  @Test
  void invalidUtf8ThrowsUncheckedIoException() {
    CompletedProcess done = capture(Command.of("printf", "ok\\377\\376"));
    assertThat(done.stdout()).containsExactly('o', 'k', 0xFF, 0xFE);
    assertThatThrownBy(done::stdoutText)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("stdout")
        .hasMessageContaining("UTF-8");
  }

  @Test
  void invalidUtf8OnStderrThrowsUncheckedIoException() {
    CompletedProcess done = capture(Command.shell("printf '\\377' >&2"));
    assertThatThrownBy(done::stderrText)
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("stderr");
  }

  // ---------------------------------------------------------------------------------------------- values

  @Test
  void redirectConstantsHaveTheirTypes() {
    assertThat(Redirect.PIPE.type()).isEqualTo(Redirect.Type.PIPE);
    assertThat(Redirect.DEVNULL.type()).isEqualTo(Redirect.Type.DEVNULL);
    assertThat(Redirect.INHERIT.type()).isEqualTo(Redirect.Type.INHERIT);
    assertThat(Redirect.STDOUT.type()).isEqualTo(Redirect.Type.STDOUT);
    assertThat(Redirect.PIPE.file()).isNull();
  }

  @Test
  void fileRedirectsAreEqualByTypeAndFile() {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    assertThat(Redirect.to(a)).isEqualTo(Redirect.to(Path.of(a.toString())));
    assertThat(Redirect.to(a).hashCode()).isEqualTo(Redirect.to(Path.of(a.toString())).hashCode());
    assertThat(Redirect.appendTo(a)).isEqualTo(Redirect.appendTo(a)).hasSameHashCodeAs(Redirect.appendTo(a));
    assertThat(Redirect.from(a)).isEqualTo(Redirect.from(a)).hasSameHashCodeAs(Redirect.from(a));
    assertThat(Redirect.to(a)).isNotEqualTo(Redirect.to(b));
    assertThat(Redirect.to(a)).isNotEqualTo(Redirect.appendTo(a));
    assertThat(Redirect.to(a)).isNotEqualTo(Redirect.from(a));
    assertThat(Redirect.appendTo(a)).isNotEqualTo(Redirect.from(a));
    assertThat(Redirect.to(a).file()).isEqualTo(a);
    assertThat(Redirect.to(a).type()).isEqualTo(Redirect.Type.WRITE);
    assertThat(Redirect.appendTo(a).type()).isEqualTo(Redirect.Type.APPEND);
    assertThat(Redirect.from(a).type()).isEqualTo(Redirect.Type.READ);
  }

  @Test
  void redirectConstantsAreDistinct() {
    List<Redirect> all = List.of(Redirect.PIPE, Redirect.DEVNULL, Redirect.INHERIT, Redirect.STDOUT);
    for (Redirect r : all) {
      for (Redirect other : all) {
        assertThat(r.equals(other)).as(r + " equals " + other).isEqualTo(r == other);
      }
    }
    assertThat(Redirect.PIPE).isNotEqualTo(null).isNotEqualTo("PIPE");
  }

  @Test
  void redirectToStringNamesTypeAndFile() {
    Path file = dir.resolve("f.txt");
    assertThat(Redirect.PIPE).hasToString("PIPE");
    assertThat(Redirect.DEVNULL).hasToString("DEVNULL");
    assertThat(Redirect.INHERIT).hasToString("INHERIT");
    assertThat(Redirect.STDOUT).hasToString("STDOUT");
    assertThat(Redirect.to(file)).hasToString("WRITE " + file);
    assertThat(Redirect.appendTo(file)).hasToString("APPEND " + file);
    assertThat(Redirect.from(file)).hasToString("READ " + file);
  }

  @Test
  void completedProcessEqualsComparesArraysByContent() {
    List<String> args = List.of("echo", "x");
    CompletedProcess one = new CompletedProcess(args, 0, "out".getBytes(StandardCharsets.UTF_8), new byte[0]);
    CompletedProcess two = new CompletedProcess(List.of("echo", "x"), 0, "out".getBytes(StandardCharsets.UTF_8),
        new byte[0]);
    assertThat(one).isEqualTo(two).hasSameHashCodeAs(two);
    assertThat(one).isNotEqualTo(new CompletedProcess(args, 0, "OUT".getBytes(StandardCharsets.UTF_8), new byte[0]));
    assertThat(one).isNotEqualTo(new CompletedProcess(args, 1, "out".getBytes(StandardCharsets.UTF_8), new byte[0]));
    assertThat(one).isNotEqualTo(new CompletedProcess(args, 0, "out".getBytes(StandardCharsets.UTF_8), null));
    assertThat(one).isNotEqualTo(new CompletedProcess(List.of("echo"), 0, "out".getBytes(StandardCharsets.UTF_8),
        new byte[0]));
    assertThat(new CompletedProcess(args, 0, null, null)).isEqualTo(new CompletedProcess(args, 0, null, null));
  }

  @Test
  void completedProcessesOfTwoRunsOfTheSameCommandAreEqual() {
    Command command = Command.shell("echo same; echo err >&2; exit 2").stdin(Redirect.DEVNULL).captureOutput();
    CompletedProcess first = command.run().block();
    CompletedProcess second = command.run().block();
    assertThat(first.stdout()).isNotSameAs(second.stdout());
    assertThat(first).isEqualTo(second).hasSameHashCodeAs(second);
  }

  @Test
  void completedProcessToStringShowsArgsCodeAndSizes() {
    CompletedProcess done = new CompletedProcess(List.of("echo", "x"), 3, new byte[5], null);
    assertThat(done.toString()).contains("[echo, x]").contains("3").contains("5 bytes").contains("null");
  }

  @Test
  void completedProcessRecordsArgsEncodingAndWorkingDirectory() throws Exception {
    CompletedProcess done = capture(Command.of("true").cwd(dir).encoding(StandardCharsets.ISO_8859_1));
    assertThat(done.args()).containsExactly("true");
    assertThat(done.encoding()).isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(done.workingDirectory()).isEqualTo(dir.toAbsolutePath());
  }
}

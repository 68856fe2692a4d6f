package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;

/**
 * Pins that bad input is refused at once, by the configuring method itself, with an exception whose message names
 * the offending thing, and that every configuring method leaves the command it was called on unchanged.
 */
class CommandValidationTest {

  @TempDir
  Path dir;

  // ---------------------------------------------------------------------------------------------- argv

  @Test
  void nullArgvListIsRefused() {
    assertThatThrownBy(() -> Command.of((List<String>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("argv");
  }

  @Test
  void nullProgramIsRefused() {
    assertThatThrownBy(() -> Command.of((String) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("program");
  }

  @Test
  void nullArgsArrayIsRefused() {
    assertThatThrownBy(() -> Command.of("echo", (String[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("args");
  }

  @Test
  void emptyArgvIsRefused() {
    assertThatThrownBy(() -> Command.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("argv")
        .hasMessageContaining("empty");
  }

  @Test
  void emptyProgramIsRefused() {
    assertThatThrownBy(() -> Command.of("", "arg"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("program")
        .hasMessageContaining("empty");
  }

  @Test
  void emptyProgramInListIsRefused() {
    assertThatThrownBy(() -> Command.of(List.of("", "arg")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("program")
        .hasMessageContaining("empty");
  }

  @Test
  void nullArgumentIsRefused() {
    assertThatThrownBy(() -> Command.of("echo", "a", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("null");
  }

  @Test
  void nullElementInArgvListIsRefused() {
    assertThatThrownBy(() -> Command.of(Arrays.asList("echo", null)))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("argv");
  }

  @Test
  void nulInProgramIsRefused() {
    assertThatThrownBy(() -> Command.of("ec\0ho"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("program")
        .hasMessageContaining("NUL");
  }

  @Test
  void nulInArgumentIsRefusedNamingTheArgument() {
    assertThatThrownBy(() -> Command.of("echo", "fine", "bad\0arg"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("argument 2")
        .hasMessageContaining("NUL");
  }

  @Test
  void nulInShellScriptIsRefused() {
    assertThatThrownBy(() -> Command.shell("echo a\0b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NUL");
  }

  @Test
  void nullShellScriptIsRefused() {
    assertThatThrownBy(() -> Command.shell(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("script");
  }

  @Test
  void oneLinersRefuseEmptyArgv() {
    assertThatThrownBy(() -> Subprocess.run())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("argv");
    assertThatThrownBy(() -> Subprocess.checkOutput("ec\0ho"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NUL");
  }

  // ---------------------------------------------------------------------------------------------- environment

  @Test
  void nulInEnvNameIsRefused() {
    assertThatThrownBy(() -> Command.of("env").env("BA\0D", "value"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("environment variable name")
        .hasMessageContaining("NUL");
  }

  @Test
  void nulInEnvValueIsRefusedNamingTheVariable() {
    assertThatThrownBy(() -> Command.of("env").env("MY_VAR", "va\0lue"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MY_VAR")
        .hasMessageContaining("NUL");
  }

  @Test
  void nulInEnvMapValueIsRefusedNamingTheVariable() {
    assertThatThrownBy(() -> Command.of("env").env(Map.of("GOOD", "1", "MAP_VAR", "x\0y")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("MAP_VAR")
        .hasMessageContaining("NUL");
  }

  @Test
  void nulInEnvMapNameIsRefused() {
    assertThatThrownBy(() -> Command.of("env").env(Map.of("MAP\0VAR", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NUL");
  }

  @ParameterizedTest
  @ValueSource(strings = {"A=B", "=", "=A", "A="})
  void envNameWithEqualsSignIsRefused(String name) {
    assertThatThrownBy(() -> Command.of("env").env(name, "value"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + name + "'")
        .hasMessageContaining("=");
  }

  @Test
  void envMapNameWithEqualsSignIsRefused() {
    assertThatThrownBy(() -> Command.of("env").env(Map.of("K=V", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'K=V'");
  }

  @Test
  void emptyEnvNameIsRefused() {
    assertThatThrownBy(() -> Command.of("env").env("", "value"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("environment variable name")
        .hasMessageContaining("empty");
  }

  @Test
  void emptyEnvMapNameIsRefused() {
    assertThatThrownBy(() -> Command.of("env").env(Map.of("", "value")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("environment variable name");
  }

  @Test
  void nullEnvNameAndValueAreRefused() {
    assertThatThrownBy(() -> Command.of("env").env(null, "value"))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("environment variable name");
    assertThatThrownBy(() -> Command.of("env").env("NULL_VALUED", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("NULL_VALUED");
  }

  @Test
  void nullInsideEnvMapIsRefused() {
    Map<String, String> env = new HashMap<>();
    env.put("NULL_VALUED", null);
    assertThatThrownBy(() -> Command.of("env").env(env))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("NULL_VALUED");
    assertThatThrownBy(() -> Command.of("env").env((Map<String, String>) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("env");
  }

  @Test
  void badEnvFromContextNameIsRefused() {
    assertThatThrownBy(() -> Command.of("env").envFromContext("A=B", "key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'A=B'");
    assertThatThrownBy(() -> Command.of("env").envFromContext("", "key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("environment variable name");
    assertThatThrownBy(() -> Command.of("env").envFromContext("TRACE_ID", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("key");
  }

  // ---------------------------------------------------------------------------------------------- paths

  @Test
  void nulInCwdIsRefused() {
    assertThatThrownBy(() -> Command.of("pwd").cwd(pathNamed("/tmp/ba\0d")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("working directory")
        .hasMessageContaining("NUL");
  }

  @Test
  void nulInExecutableIsRefused() {
    assertThatThrownBy(() -> Command.of("sh").executable(pathNamed("/bin/s\0h")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("executable")
        .hasMessageContaining("NUL");
  }

  @Test
  void nullCwdAndExecutableAreRefused() {
    assertThatThrownBy(() -> Command.of("pwd").cwd(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("dir");
    assertThatThrownBy(() -> Command.of("pwd").executable(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("program");
  }

  // ---------------------------------------------------------------------------------------------- redirects

  @Test
  void stdoutRedirectToStdoutIsRefused() {
    assertThatThrownBy(() -> Command.of("echo").stdout(Redirect.STDOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stdout")
        .hasMessageContaining("STDOUT");
  }

  @Test
  void inputRedirectForStdoutIsRefusedNamingTheFile() {
    Path file = dir.resolve("in.txt");
    assertThatThrownBy(() -> Command.of("echo").stdout(Redirect.from(file)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stdout")
        .hasMessageContaining(file.toString());
  }

  @Test
  void inputRedirectForStderrIsRefusedNamingTheFile() {
    Path file = dir.resolve("in.txt");
    assertThatThrownBy(() -> Command.of("echo").stderr(Redirect.from(file)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stderr")
        .hasMessageContaining(file.toString());
  }

  @Test
  void outputRedirectsForStdinAreRefused() {
    Path file = dir.resolve("out.txt");
    assertThatThrownBy(() -> Command.of("cat").stdin(Redirect.to(file)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stdin")
        .hasMessageContaining(file.toString());
    assertThatThrownBy(() -> Command.of("cat").stdin(Redirect.appendTo(file)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stdin")
        .hasMessageContaining(file.toString());
    assertThatThrownBy(() -> Command.of("cat").stdin(Redirect.STDOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stdin")
        .hasMessageContaining("STDOUT");
  }

  @Test
  void nullRedirectsAreRefused() {
    Command cat = Command.of("cat");
    assertThatThrownBy(() -> cat.stdin(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cat.stdout(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cat.stderr(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Redirect.to(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("file");
    assertThatThrownBy(() -> Redirect.appendTo(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Redirect.from(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void inputThenStdinDevnullIsRefused() {
    assertThatThrownBy(() -> Command.of("cat").input("text").stdin(Redirect.DEVNULL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input(...)")
        .hasMessageContaining("DEVNULL");
  }

  @Test
  void stdinDevnullThenInputIsRefused() {
    Command devnull = Command.of("cat").stdin(Redirect.DEVNULL);
    assertThatThrownBy(() -> devnull.input("text"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input(...)")
        .hasMessageContaining("DEVNULL");
    assertThatThrownBy(() -> devnull.input(new byte[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DEVNULL");
    assertThatThrownBy(() -> devnull.input(Flux.just(ByteBuffer.allocate(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DEVNULL");
  }

  @Test
  void inputThenStdinFromFileIsRefusedNamingTheFile() {
    Path file = dir.resolve("in.txt");
    assertThatThrownBy(() -> Command.of("cat").input(new byte[] {1}).stdin(Redirect.from(file)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input(...)")
        .hasMessageContaining(file.toString());
  }

  @Test
  void stdinFromFileThenInputIsRefusedNamingTheFile() {
    Path file = dir.resolve("in.txt");
    Command fromFile = Command.of("cat").stdin(Redirect.from(file));
    assertThatThrownBy(() -> fromFile.input("text"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input(...)")
        .hasMessageContaining(file.toString());
    assertThatThrownBy(() -> fromFile.input(Flux.just(ByteBuffer.allocate(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void nullInputsAreRefused() {
    Command cat = Command.of("cat");
    assertThatThrownBy(() -> cat.input((String) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cat.input((byte[]) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> cat.input((Flux<ByteBuffer>) null)).isInstanceOf(NullPointerException.class);
  }

  // ---------------------------------------------------------------------------------------------- limits and policy

  @Test
  void zeroAndNegativeTimeoutsAreTakenAsPythonTakesThem() {
    assertThat(Command.of("true").timeout(Duration.ZERO)).isNotNull();
    assertThat(Command.of("true").timeout(Duration.ofMillis(-1))).isNotNull();
  }

  @Test
  void nullTimeoutIsRefused() {
    assertThatThrownBy(() -> Command.of("true").timeout(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("timeout");
  }

  @Test
  void negativeKillGraceIsRefused() {
    assertThatThrownBy(() -> Command.of("true").killGrace(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("killGrace")
        .hasMessageContaining("negative");
  }

  @Test
  void zeroKillGraceIsAccepted() {
    assertThat(Command.of("true").killGrace(Duration.ZERO)).isNotNull();
  }

  @Test
  void negativeDrainTimeoutIsRefused() {
    assertThatThrownBy(() -> Command.of("true").drainTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("drainTimeout");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 65, 1000})
  void badKillSignalIsRefusedNamingTheSignal(int signal) {
    assertThatThrownBy(() -> Command.of("true").killSignal(signal))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signal")
        .hasMessageContaining(String.valueOf(signal));
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 1, 0, -1})
  void passFdsBelowThreeIsRefusedNamingTheDescriptor(int fd) {
    assertThatThrownBy(() -> Command.of("true").passFds(5, fd))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("passFds")
        .hasMessageContaining(String.valueOf(fd));
  }

  @Test
  void nullPassFdsIsRefused() {
    assertThatThrownBy(() -> Command.of("true").passFds((int[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("fds");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void nonPositivePipeSizeIsRefused(int bytes) {
    assertThatThrownBy(() -> Command.of("true").pipeSize(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pipeSize")
        .hasMessageContaining(String.valueOf(bytes));
  }

  @Test
  void nullEncodingIsRefused() {
    assertThatThrownBy(() -> Command.of("true").encoding(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("charset");
    assertThatThrownBy(() -> Command.of("true").encodingErrors(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("action");
  }

  // ---------------------------------------------------------------------------------------------- immutability

  @Test
  void everyConfiguringMethodReturnsANewCommandAndLeavesTheOriginalUnchanged() {
    Command original = Command.of("printf", "%s\n", "x");
    String text = original.toString();
    List<String> args = List.copyOf(original.args());
    Map<String, Function<Command, Command>> methods = new LinkedHashMap<>();
    methods.put("cwd", c -> c.cwd(dir));
    methods.put("env(Map)", c -> c.env(Map.of("A", "1")));
    methods.put("env(name, value)", c -> c.env("A", "1"));
    methods.put("executable", c -> c.executable(Path.of("/usr/bin/printf")));
    methods.put("stdin", c -> c.stdin(Redirect.DEVNULL));
    methods.put("stdout", c -> c.stdout(Redirect.PIPE));
    methods.put("stderr", c -> c.stderr(Redirect.STDOUT));
    methods.put("input(byte[])", c -> c.input(new byte[] {1}));
    methods.put("input(String)", c -> c.input("x"));
    methods.put("input(Publisher)", c -> c.input(Flux.<ByteBuffer>empty()));
    methods.put("captureOutput", Command::captureOutput);
    methods.put("timeout", c -> c.timeout(Duration.ofSeconds(1)));
    methods.put("check", Command::check);
    methods.put("encoding", c -> c.encoding(StandardCharsets.ISO_8859_1));
    methods.put("killSignal", c -> c.killSignal(Signals.SIGKILL));
    methods.put("killGrace", c -> c.killGrace(Duration.ofSeconds(1)));
    methods.put("drainTimeout", c -> c.drainTimeout(Duration.ofSeconds(1)));
    methods.put("newSession", Command::newSession);
    methods.put("passFds", c -> c.passFds(5));
    methods.put("pipeSize", c -> c.pipeSize(1 << 16));
    methods.put("encodingErrors", c -> c.encodingErrors(CodingErrorAction.REPLACE));
    methods.put("envFromContext", c -> c.envFromContext("TRACE_ID", "traceId"));
    methods.put("okExitCodes", c -> c.okExitCodes(1));
    methods.forEach((name, method) -> {
      Command copy = method.apply(original);
      assertThat(copy).as(name).isNotNull().isNotSameAs(original);
      assertThat(original.toString()).as("toString() after " + name).isEqualTo(text);
      assertThat(original.args()).as("args() after " + name).isEqualTo(args);
    });
  }

  @Test
  void redirectsChangeTheCopyOnly() {
    Command original = Command.of("cat");
    Command copy = original.stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).stderr(Redirect.STDOUT).cwd(dir);
    assertThat(original.toString()).isEqualTo("Command[cat]");
    assertThat(copy.toString())
        .contains("stdin=DEVNULL")
        .contains("stdout=PIPE")
        .contains("stderr=STDOUT")
        .contains("cwd=" + dir);
  }

  @Test
  void argsAreCopiedAndUnmodifiable() {
    List<String> argv = new ArrayList<>(List.of("echo", "one"));
    Command command = Command.of(argv);
    argv.set(1, "changed");
    argv.add("more");
    assertThat(command.args()).containsExactly("echo", "one");
    assertThatThrownBy(() -> command.args().add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void originalKeepsItsEnvironmentWhenACopyReplacesIt() {
    Command original = Command.of("/usr/bin/env").stdin(Redirect.DEVNULL).stdout(Redirect.PIPE);
    Command replaced = original.env(Map.of("ONLY_IN_COPY", "1"));
    Command added = original.env("ADDED_IN_COPY", "1");
    assertThat(replaced.run().block().stdoutText()).isEqualTo("ONLY_IN_COPY=1\n");
    assertThat(added.run().block().stdoutText()).contains("ADDED_IN_COPY=1\n");
    String originalEnv = original.run().block().stdoutText();
    assertThat(originalEnv).doesNotContain("ONLY_IN_COPY").doesNotContain("ADDED_IN_COPY");
  }

  @Test
  void originalKeepsItsInputCheckAndCwdWhenACopyChangesThem() throws Exception {
    Command original = Command.shell("cat; pwd -P; exit 3").input("in\n").stdout(Redirect.PIPE);
    Command changed = original.input("other\n").check().cwd(dir);
    assertThatThrownBy(() -> changed.run().block()).isInstanceOf(CalledProcessException.class);
    CompletedProcess done = original.run().block();
    assertThat(done.returnCode()).isEqualTo(3);
    assertThat(done.stdoutText())
        .isEqualTo("in\n" + Path.of("").toAbsolutePath().toRealPath() + "\n");
  }

  /** A path whose name holds a NUL, which the default file system refuses to build. */
  private static Path pathNamed(String name) {
    return (Path) Proxy.newProxyInstance(CommandValidationTest.class.getClassLoader(), new Class<?>[] {Path.class},
        (proxy, method, methodArgs) -> {
          switch (method.getName()) {
            case "toString":
              return name;
            case "hashCode":
              return name.hashCode();
            case "equals":
              return proxy == methodArgs[0];
            default:
              throw new UnsupportedOperationException(method.getName());
          }
        });
  }
}

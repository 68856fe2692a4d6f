package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.internal.Engine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The single table of bad input to the public API: every row is a call that must be refused, the exception type
 * it must be refused with, and the words its message must contain. Refusals of configuring methods are thrown at
 * once; refusals that can only be seen at run time (an option the backend cannot honour, a program that is not
 * there) arrive as the publisher's error, and a row then blocks on the publisher. Rows that hold only on one
 * backend name it.
 */
class BadInputMatrixTest {
  private static final Command TRUE = Command.of("true").stdin(Redirect.DEVNULL);
  private static final Pipeline PAIR = Pipeline.of(Command.of("true"), Command.of("true"));
  private static final Path FILE = Path.of("/tmp/bad-input-matrix-file");
  private static final Path MISSING = Path.of("/nonexistent/bad-input-matrix");
  private static final Flux<ByteBuffer> BYTES = Flux.just(ByteBuffer.wrap("x".getBytes(StandardCharsets.UTF_8)));
  private static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

  static Stream<Arguments> rows() {
    return Stream.of(
        // ---------------------------------------------------------------- Command.of / shell
        row("of(null program)", () -> Command.of((String) null), NullPointerException.class, "program"),
        row("of(program, null args)", () -> Command.of("echo", (String[]) null), NullPointerException.class, "args"),
        row("of(program, null arg)", () -> Command.of("echo", "a", null), NullPointerException.class, "argv", "null"),
        row("of(null list)", () -> Command.of((List<String>) null), NullPointerException.class, "argv"),
        row("of(list with null)", () -> Command.of(java.util.Arrays.asList("echo", null)),
            NullPointerException.class, "argv", "null"),
        row("of(empty list)", () -> Command.of(List.of()), IllegalArgumentException.class, "argv is empty"),
        row("of(\"\")", () -> Command.of(""), IllegalArgumentException.class, "program", "empty"),
        row("of(list with empty program)", () -> Command.of(List.of("", "a")), IllegalArgumentException.class,
            "program", "empty"),
        row("of(NUL in program)", () -> Command.of("ec\0ho"), IllegalArgumentException.class, "program",
            "NUL", "index 2"),
        row("of(NUL in argument)", () -> Command.of("echo", "ok", "b\0d"), IllegalArgumentException.class,
            "argument 2", "NUL"),
        row("shell(null)", () -> Command.shell(null), NullPointerException.class, "script"),
        row("shell(NUL)", () -> Command.shell("echo \0"), IllegalArgumentException.class, "NUL"),
        // ---------------------------------------------------------------- Command configuration
        row("cwd(null)", () -> TRUE.cwd(null), NullPointerException.class, "dir"),
        row("env(null map)", () -> TRUE.env((Map<String, String>) null), NullPointerException.class, "env"),
        row("env(map with null name)", () -> TRUE.env(mapOf(null, "v")), NullPointerException.class,
            "environment variable name"),
        row("env(map with null value)", () -> TRUE.env(mapOf("NAME", null)), NullPointerException.class,
            "environment variable NAME"),
        row("env(map with empty name)", () -> TRUE.env(mapOf("", "v")), IllegalArgumentException.class,
            "invalid environment variable name"),
        row("env(map with = in name)", () -> TRUE.env(mapOf("A=B", "v")), IllegalArgumentException.class,
            "invalid environment variable name 'A=B'"),
        row("env(map with NUL in name)", () -> TRUE.env(mapOf("A\0B", "v")), IllegalArgumentException.class,
            "environment variable name", "NUL"),
        row("env(map with NUL in value)", () -> TRUE.env(mapOf("NAME", "v\0")), IllegalArgumentException.class,
            "environment variable NAME", "NUL"),
        row("env(null, value)", () -> TRUE.env(null, "v"), NullPointerException.class, "environment variable name"),
        row("env(name, null)", () -> TRUE.env("NAME", null), NullPointerException.class, "environment variable NAME"),
        row("env(\"\", value)", () -> TRUE.env("", "v"), IllegalArgumentException.class,
            "invalid environment variable name"),
        row("env(=, value)", () -> TRUE.env("=", "v"), IllegalArgumentException.class,
            "invalid environment variable name"),
        row("env(NUL name)", () -> TRUE.env("A\0", "v"), IllegalArgumentException.class, "NUL"),
        row("env(NUL value)", () -> TRUE.env("NAME", "\0"), IllegalArgumentException.class, "NAME", "NUL"),
        row("envFromContext(null, key)", () -> TRUE.envFromContext(null, "k"), NullPointerException.class,
            "environment variable name"),
        row("envFromContext(\"\", key)", () -> TRUE.envFromContext("", "k"), IllegalArgumentException.class,
            "invalid environment variable name"),
        row("envFromContext(A=B, key)", () -> TRUE.envFromContext("A=B", "k"), IllegalArgumentException.class,
            "invalid environment variable name"),
        row("envFromContext(name, null key)", () -> TRUE.envFromContext("TRACE", null), NullPointerException.class,
            "key"),
        row("executable(null)", () -> TRUE.executable(null), NullPointerException.class, "program"),
        row("stdin(null)", () -> TRUE.stdin(null), NullPointerException.class, "redirect"),
        row("stdin(STDOUT)", () -> TRUE.stdin(Redirect.STDOUT), IllegalArgumentException.class, "stdin", "STDOUT"),
        row("stdin(to file)", () -> TRUE.stdin(Redirect.to(FILE)), IllegalArgumentException.class, "stdin",
            "WRITE " + FILE),
        row("stdin(appendTo file)", () -> TRUE.stdin(Redirect.appendTo(FILE)), IllegalArgumentException.class,
            "stdin", "APPEND " + FILE),
        row("stdout(null)", () -> TRUE.stdout(null), NullPointerException.class, "redirect"),
        row("stdout(STDOUT)", () -> TRUE.stdout(Redirect.STDOUT), IllegalArgumentException.class,
            "STDOUT is for stderr only"),
        row("stdout(from file)", () -> TRUE.stdout(Redirect.from(FILE)), IllegalArgumentException.class, "stdout",
            "READ " + FILE),
        row("stderr(null)", () -> TRUE.stderr(null), NullPointerException.class, "redirect"),
        row("stderr(from file)", () -> TRUE.stderr(Redirect.from(FILE)), IllegalArgumentException.class, "stderr",
            "READ " + FILE),
        row("input(null bytes)", () -> TRUE.input((byte[]) null), NullPointerException.class, "data"),
        row("input(null text)", () -> TRUE.input((String) null), NullPointerException.class, "text"),
        row("input(null publisher)", () -> TRUE.input((Publisher<ByteBuffer>) null), NullPointerException.class,
            "data"),
        row("stdin(DEVNULL) then input(bytes)", () -> TRUE.input(new byte[1]), IllegalArgumentException.class,
            "stdin is redirected from DEVNULL", "input(...)"),
        row("stdin(from) then input(text)", () -> Command.of("cat").stdin(Redirect.from(FILE)).input("x"),
            IllegalArgumentException.class, "READ " + FILE, "input(...)"),
        row("input(text) then stdin(DEVNULL)", () -> Command.of("cat").input("x").stdin(Redirect.DEVNULL),
            IllegalArgumentException.class, "input(...)", "DEVNULL"),
        row("input(publisher) then stdin(INHERIT)", () -> Command.of("cat").input(BYTES).stdin(Redirect.INHERIT),
            IllegalArgumentException.class, "input(...)", "INHERIT"),
        row("input(bytes) then stdin(from)", () -> Command.of("cat").input(new byte[1]).stdin(Redirect.from(FILE)),
            IllegalArgumentException.class, "input(...)", "READ " + FILE),
        row("timeout(null)", () -> TRUE.timeout(null), NullPointerException.class, "timeout"),
        row("timeout(below what a timer can hold)", () -> TRUE.timeout(FOREVER.negated().minusSeconds(1)),
            IllegalArgumentException.class, "timeout", "below zero"),
        row("stdin(PIPE) then input(text)", () -> Command.of("cat").stdin(Redirect.PIPE).input("x"),
            IllegalArgumentException.class, "stdin(PIPE)", "input(...)"),
        row("input(text) then stdin(PIPE)", () -> Command.of("cat").input("x").stdin(Redirect.PIPE),
            IllegalArgumentException.class, "input(...)", "stdin(PIPE)"),
        row("captureOutput() then stdout(DEVNULL)", () -> TRUE.captureOutput().stdout(Redirect.DEVNULL),
            IllegalArgumentException.class, "captureOutput()", "stdout(DEVNULL)"),
        row("stderr(STDOUT) then captureOutput()", () -> TRUE.stderr(Redirect.STDOUT).captureOutput(),
            IllegalArgumentException.class, "captureOutput()", "stderr(STDOUT)"),
        row("shell(script, null arg0)", () -> Command.shell("echo", null), NullPointerException.class, "arg0"),
        row("shell(script, arg0, NUL)", () -> Command.shell("echo", "zero", "a\0b"), IllegalArgumentException.class,
            "argument 4", "NUL"),
        row("of(null path)", () -> Command.of((Path) null), NullPointerException.class, "program"),
        row("okExitCodes(null)", () -> TRUE.okExitCodes((int[]) null), NullPointerException.class, "codes"),
        row("timeout(beyond what a timer can hold)", () -> Command.of("sleep", "30").stdin(Redirect.DEVNULL)
            .timeout(FOREVER).run().block(), IllegalArgumentException.class, "timeout"),
        row("encoding(null)", () -> TRUE.encoding(null), NullPointerException.class, "charset"),
        row("encodingErrors(null)", () -> TRUE.encodingErrors(null), NullPointerException.class, "action"),
        row("killSignal(0)", () -> TRUE.killSignal(0), IllegalArgumentException.class, "no such signal: 0"),
        row("killSignal(-9)", () -> TRUE.killSignal(-9), IllegalArgumentException.class, "no such signal: -9"),
        row("killSignal(65)", () -> TRUE.killSignal(65), IllegalArgumentException.class, "no such signal: 65"),
        row("killGrace(null)", () -> TRUE.killGrace(null), NullPointerException.class, "killGrace"),
        row("killGrace(-1ms)", () -> TRUE.killGrace(Duration.ofMillis(-1)), IllegalArgumentException.class,
            "killGrace must not be negative"),
        row("killGrace(beyond what a timer can hold)", () -> Command.of("sleep", "30").stdin(Redirect.DEVNULL)
            .killGrace(FOREVER).timeout(Duration.ofMillis(50)).run().block(), IllegalArgumentException.class,
            "killGrace"),
        row("drainTimeout(null)", () -> TRUE.drainTimeout(null), NullPointerException.class, "drainTimeout"),
        row("drainTimeout(-1ms)", () -> TRUE.drainTimeout(Duration.ofMillis(-1)), IllegalArgumentException.class,
            "drainTimeout must not be negative"),
        row("drainTimeout(beyond what a timer can hold)", () -> Command.of("echo", "x").stdin(Redirect.DEVNULL)
            .drainTimeout(FOREVER).output().blockLast(Duration.ofSeconds(20)), IllegalArgumentException.class,
            "drainTimeout"),
        row("passFds(null)", () -> TRUE.passFds((int[]) null), NullPointerException.class, "fds"),
        row("passFds(2)", () -> TRUE.passFds(5, 2), IllegalArgumentException.class, "above 2", "got 2"),
        row("passFds(-1)", () -> TRUE.passFds(-1), IllegalArgumentException.class, "above 2", "got -1"),
        row("pipeSize(0)", () -> TRUE.pipeSize(0), IllegalArgumentException.class, "pipeSize must be positive"),
        row("pipeSize(-1)", () -> TRUE.pipeSize(-1), IllegalArgumentException.class, "pipeSize must be positive"),
        row("execute(null)", () -> TRUE.execute(null), NullPointerException.class, "body"),
        row("execute(body returning null)", () -> TRUE.execute(p -> null).blockLast(Duration.ofSeconds(20)),
            NullPointerException.class, "body", "null"),
        row("pipe(null)", () -> Command.of("cat").pipe(null), NullPointerException.class, "stdin"),
        row("pipe() with stdin(DEVNULL)", () -> TRUE.pipe(BYTES), IllegalArgumentException.class, "stdin(DEVNULL)",
            "pipe(...)"),
        row("pipeTo(null)", () -> TRUE.pipeTo(null), NullPointerException.class, "stage"),
        // ---------------------------------------------------------------- run-time refusals
        row("run() of a missing program", () -> Command.of(MISSING.toString()).stdin(Redirect.DEVNULL).run().block(),
            ProcessStartException.class, MISSING.toString(), "No such file or directory", "ENOENT"),
        row("run() in a missing cwd", () -> TRUE.cwd(MISSING).run().block(), ProcessStartException.class,
            MISSING.toString(), "does not exist"),
        row("run() with stdin from a missing file", () -> Command.of("cat").stdin(Redirect.from(MISSING))
            .run().block(), ProcessStartException.class, MISSING.toString()),
        row("output() of a missing program", () -> Command.of("no-such-program-xyz").output().blockLast(),
            ProcessStartException.class, "no-such-program-xyz", "ENOENT"),
        row("passFds() on the jdk backend", () -> TRUE.passFds(5).run().block(),
            UnsupportedOperationException.class, "passFds(...)", "jdk backend").onlyOn("jdk")
            .words("linux backend", "--enable-native-access"),
        row("executable() that does not exist", () -> Command.of("sh").stdin(Redirect.DEVNULL)
            .executable(Path.of("nonexisting")).run().block(),
            ProcessStartException.class, "Cannot run program 'nonexisting'", "ENOENT", "[sh]"),
        // ---------------------------------------------------------------- Pipeline
        row("Pipeline.of(null array)", () -> Pipeline.of((Command[]) null), NullPointerException.class, "stages"),
        row("Pipeline.of()", () -> Pipeline.of(), IllegalArgumentException.class, "at least two commands", "none"),
        row("Pipeline.of(one command)", () -> Pipeline.of(TRUE), IllegalArgumentException.class,
            "at least two commands", "[true]", "Command.run()"),
        row("Pipeline.of(cmd, null)", () -> Pipeline.of(TRUE, null), NullPointerException.class, "stage"),
        row("Pipeline stage 2 with input", () -> Pipeline.of(TRUE.stdin(Redirect.INHERIT), Command.of("cat")
            .input("x")), IllegalArgumentException.class, "stage 2", "[cat]", "stdin"),
        row("Pipeline stage 2 with stdin redirect", () -> Pipeline.of(Command.of("true"), Command.of("cat")
            .stdin(Redirect.DEVNULL)), IllegalArgumentException.class, "stage 2", "stdin"),
        row("Pipeline stage 1 with stdout redirect", () -> Pipeline.of(Command.of("echo").stdout(Redirect.DEVNULL),
            Command.of("cat")), IllegalArgumentException.class, "stage 1", "[echo]", "stdout"),
        row("Pipeline stage 1 with stdin(PIPE) and no input", () -> Pipeline.of(Command.of("cat")
            .stdin(Redirect.PIPE), Command.of("wc")), IllegalArgumentException.class, "stage 1", "[cat]",
            "Pipeline[[cat] | [wc]]", "stdin(Redirect.PIPE)", "input(...)"),
        row("pipeTo(stage with stdin)", () -> Pipeline.of(Command.of("true"), Command.of("true")).pipeTo(TRUE),
            IllegalArgumentException.class, "stage 3", "stdin"),
        row("Pipeline.pipeTo(null)", () -> PAIR.pipeTo(null), NullPointerException.class, "next"),
        row("Pipeline.timeout(null)", () -> PAIR.timeout(null), NullPointerException.class, "timeout"),
        row("Pipeline.timeout(below what a timer can hold)", () -> PAIR.timeout(FOREVER.negated().minusSeconds(1)),
            IllegalArgumentException.class, "timeout", "292 years"),
        row("Pipeline.cwd(null)", () -> PAIR.cwd(null), NullPointerException.class, "dir"),
        row("Pipeline.env(bad name)", () -> PAIR.env("A=B", "x"), IllegalArgumentException.class, "A=B"),
        row("Pipeline.env(null map)", () -> PAIR.env(null), NullPointerException.class, "env"),
        row("Pipeline.stdin(PIPE)", () -> PAIR.stdin(Redirect.PIPE), IllegalArgumentException.class,
            "Pipeline[[true] | [true]]", "PIPE", "Pipeline.input(...)"),
        row("Pipeline.stdin(an output)", () -> PAIR.stdin(Redirect.STDOUT), IllegalArgumentException.class,
            "STDOUT", "input"),
        row("Pipeline input then stdin", () -> PAIR.input("x").stdin(Redirect.DEVNULL),
            IllegalArgumentException.class, "input of Pipeline[[true] | [true]]", "Pipeline.stdin(DEVNULL)"),
        row("Pipeline stdin then input", () -> PAIR.stdin(Redirect.DEVNULL).input("x"),
            IllegalArgumentException.class, "Pipeline.input(...)", "Pipeline[[true] | [true]]", "DEVNULL"),
        row("Pipeline.input with the first stage's stdin", () -> Pipeline.of(Command.of("cat")
            .stdin(Redirect.from(MISSING)), Command.of("wc")).input("x"), IllegalArgumentException.class,
            "Pipeline.input(...)", "stage 1", "Command[cat] stdin=READ " + MISSING),
        row("Pipeline.stdin with the first stage's input", () -> Pipeline.of(Command.of("cat").input("y"),
            Command.of("wc")).stdin(Redirect.DEVNULL), IllegalArgumentException.class, "Pipeline.stdin(DEVNULL)",
            "stage 1", "[cat]", "own stdin"),
        row("Pipeline run with a missing stage program", () -> Pipeline.of(Command.of("echo", "x"),
            Command.of("no-such-program-xyz")).run().block(), ProcessStartException.class, "no-such-program-xyz"),
        // ---------------------------------------------------------------- Subprocess
        row("Subprocess.run(null)", () -> Subprocess.run((String[]) null), NullPointerException.class, "argv"),
        row("Subprocess.run()", () -> Subprocess.run(), IllegalArgumentException.class, "argv is empty"),
        row("Subprocess.call()", () -> Subprocess.call(), IllegalArgumentException.class, "argv is empty"),
        row("Subprocess.checkCall()", () -> Subprocess.checkCall(), IllegalArgumentException.class, "argv is empty"),
        row("Subprocess.checkOutput()", () -> Subprocess.checkOutput(), IllegalArgumentException.class,
            "argv is empty"),
        row("Subprocess.run(\"\")", () -> Subprocess.run(""), IllegalArgumentException.class, "program", "empty"),
        row("Subprocess.call(NUL)", () -> Subprocess.call("true", "\0"), IllegalArgumentException.class, "NUL"),
        row("Subprocess.getStatusOutput(null)", () -> Subprocess.getStatusOutput(null), NullPointerException.class,
            "script"),
        row("Subprocess.getOutput(NUL)", () -> Subprocess.getOutput("echo \0"), IllegalArgumentException.class,
            "NUL"),
        // ---------------------------------------------------------------- Redirect, results
        row("Redirect.to(null)", () -> Redirect.to(null), NullPointerException.class, "file"),
        row("Redirect.appendTo(null)", () -> Redirect.appendTo(null), NullPointerException.class, "file"),
        row("Redirect.from(null)", () -> Redirect.from(null), NullPointerException.class, "file"),
        row("CompletedProcess(null encoding)", () -> new CompletedProcess(List.of("x"), 0, null, null, null,
            Path.of("/")), NullPointerException.class, "encoding"),
        row("CompletedProcess(null workingDirectory)", () -> new CompletedProcess(List.of("x"), 0, null, null,
            StandardCharsets.UTF_8, null), NullPointerException.class, "workingDirectory"),
        row("CompletedPipeline(no stages)", () -> new CompletedPipeline(List.of()), IllegalArgumentException.class,
            "at least one stage"),
        // ---------------------------------------------------------------- RunningProcess
        row("sendSignal(0)", withProcess(TRUE, p -> p.sendSignal(0)), IllegalArgumentException.class,
            "no such signal: 0"),
        row("sendSignal(65)", withProcess(TRUE, p -> p.sendSignal(65)), IllegalArgumentException.class,
            "no such signal: 65"),
        row("stdout() not piped", withProcess(TRUE, p -> p.stdout().blockLast()), IllegalStateException.class,
            "stdout of process", "[true]", "is not piped", "Redirect.PIPE"),
        row("stderr() not piped", withProcess(TRUE, p -> p.stderr().blockLast()), IllegalStateException.class,
            "stderr of process", "is not piped"),
        row("stdout() twice", withProcess(Command.of("echo", "x").stdin(Redirect.DEVNULL).stdout(Redirect.PIPE),
            p -> {
              p.stdout().blockLast();
              p.stdout().blockLast();
            }), IllegalStateException.class, "stdout of process", "already has a subscriber"),
        row("writeStdin() not piped", withProcess(TRUE, p -> p.writeStdin(BYTES).block()),
            IllegalStateException.class, "stdin of process", "is not piped"),
        row("closeStdin() not piped", withProcess(TRUE, p -> p.closeStdin().block()), IllegalStateException.class,
            "stdin of process", "is not piped"),
        row("writeStdin() twice", withProcess(Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.DEVNULL), p -> {
          p.writeStdin(BYTES).block();
          p.writeStdin(BYTES).block();
        }), IllegalStateException.class, "stdin of process", "written or closed before"),
        row("writeStdin(null)", withProcess(Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.DEVNULL),
            p -> p.writeStdin(null).block()), NullPointerException.class, "data"),
        row("communicate(input) without a stdin pipe", withProcess(TRUE, p -> p.communicate(new byte[1]).block()),
            IllegalStateException.class, "communicate(input) needs stdin piped"),
        row("communicate(input) after writeStdin", withProcess(Command.of("cat").stdin(Redirect.PIPE)
            .stdout(Redirect.DEVNULL), p -> {
              p.writeStdin(BYTES).block();
              p.communicate(new byte[1]).block();
            }), IllegalStateException.class, "written or closed before", "communicate(input)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void isRefused(String name, Row row) {
    assumeTrue(row.backend == null || row.backend.equals(Engine.backendName()),
        () -> "only the " + row.backend + " backend refuses this");
    Throwable thrown = catchThrowable(row.call);
    assertThat(thrown).as(name).isInstanceOf(row.type);
    for (String word : row.words) {
      assertThat(thrown.getMessage()).as("message of %s", name).contains(word);
    }
  }

  // ---------------------------------------------------------------------------------------------------------

  /** One line of the table; {@code backend} is null for a refusal on every backend. */
  static final class Row {
    final ThrowingCallable call;
    final Class<? extends Throwable> type;
    List<String> words;
    String backend;

    Row(ThrowingCallable call, Class<? extends Throwable> type, List<String> words) {
      this.call = call;
      this.type = type;
      this.words = words;
    }

    @Override
    public String toString() {
      return type.getSimpleName() + " " + words + (backend == null ? "" : " on " + backend);
    }
  }

  /** Builds rows fluently: {@code row(...).onlyOn("jdk")}. */
  static final class RowArguments implements Arguments {
    private final String name;
    private final Row row;

    RowArguments(String name, Row row) {
      this.name = name;
      this.row = row;
    }

    RowArguments onlyOn(String backend) {
      row.backend = backend;
      return this;
    }

    RowArguments words(String... more) {
      row.words = Stream.concat(row.words.stream(), Stream.of(more)).toList();
      return this;
    }

    @Override
    public Object[] get() {
      return new Object[] {name, row};
    }
  }

  private static RowArguments row(String name, ThrowingCallable call, Class<? extends Throwable> type,
      String... words) {
    return new RowArguments(name, new Row(call, type, List.of(words)));
  }

  /**
   * Starts {@code command}, applies {@code body} to the process, and then waits for the process to end (killing
   * it if it still runs), so that a row leaves nothing behind; rethrows what {@code body} threw.
   */
  private static ThrowingCallable withProcess(Command command, Consumer<RunningProcess> body) {
    return () -> {
      RunningProcess p = command.start().block(Duration.ofSeconds(20));
      try {
        body.accept(p);
      } finally {
        p.kill();
        Mono.from(p.exitCode()).block(Duration.ofSeconds(20));
        // Nobody reads the piped streams any more: let communicate() drain and close them.
        p.communicate().onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(20));
      }
    };
  }

  private static Map<String, String> mapOf(String name, String value) {
    Map<String, String> map = new HashMap<>();
    map.put(name, value);
    return map;
  }
}

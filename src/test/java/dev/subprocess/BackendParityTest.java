package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.LeakCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/**
 * What both backends do the same way, as Python does: the program found on the child's PATH, a file without
 * {@code #!} refused, new sessions, any signal, an argv[0] apart from the program, text never substituted, and the
 * public description of the backend.
 */
class BackendParityTest {

  @TempDir Path dir;

  private static boolean jdk() {
    return Engine.backendName().equals("jdk");
  }

  private Path script(String name, String body) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    return file;
  }

  private static Throwable error(reactor.core.publisher.Mono<?> mono) {
    Throwable[] caught = new Throwable[1];
    StepVerifier.create(mono).expectErrorSatisfies(e -> caught[0] = e).verify(Duration.ofSeconds(30));
    return caught[0];
  }

  // ---------------------------------------------------------------------------------------------- program lookup

  @Test
  void theProgramIsFoundOnTheChildsPath() throws IOException {
    script("myprog-7c1", "#!/bin/sh\necho \"mine $0 $1\"\n");
    CompletedProcess done = Command.of("myprog-7c1", "arg").env("PATH", dir.toString()).captureOutput().run()
        .block();
    assertThat(done.returnCode()).isZero();
    assertThat(done.stdoutText()).startsWith("mine ").endsWith("myprog-7c1 arg\n");
  }

  @Test
  void argvZeroStaysAsGivenWhetherThePathIsTheChildsOrThisProcesss() {
    String script = "tr '\\0' ' ' < /proc/$$/cmdline";
    assertThat(Command.of("sh", "-c", script).captureOutput().run().block().stdoutText())
        .startsWith("sh -c ");
    assertThat(Command.of("sh", "-c", script).env("PATH", "/usr/bin:/bin").captureOutput().run().block()
        .stdoutText()).startsWith("sh -c ");
  }

  @Test
  void theChildsPathShadowsThisProcesssPath() throws IOException {
    script("true", "#!/bin/sh\necho shadowed\n");
    CompletedProcess done = Command.of("true").env("PATH", dir + ":/usr/bin:/bin").captureOutput().run().block();
    assertThat(done.stdoutText()).isEqualTo("shadowed\n");
  }

  @Test
  void aProgramRemovedAfterItWasFoundIsSearchedForAgain() throws IOException {
    Path one = Files.createDirectory(dir.resolve("one"));
    Path two = Files.createDirectory(dir.resolve("two"));
    script("one/again-7c1", "#!/bin/sh\necho one\n");
    script("two/again-7c1", "#!/bin/sh\necho two\n");
    Command command = Command.of("again-7c1").env("PATH", one + ":" + two).captureOutput();
    assertThat(command.run().block().stdoutText()).isEqualTo("one\n");
    Files.delete(one.resolve("again-7c1"));
    assertThat(command.run().block().stdoutText()).isEqualTo("two\n");
    Files.delete(two.resolve("again-7c1"));
    Throwable e = error(command.run());
    assertThat(((ProcessStartException) e).errorName()).isEqualTo("ENOENT");
  }

  @Test
  void aProgramMissingFromTheChildsPathIsNotFoundThoughThisProcessHasIt() {
    Throwable e = error(Command.of("sh", "-c", "true").env("PATH", dir.toString()).stdin(Redirect.DEVNULL).run());
    assertThat(e).isInstanceOf(ProcessStartException.class);
    assertThat(((ProcessStartException) e).errorName()).isEqualTo("ENOENT");
    assertThat(e.getMessage()).startsWith("Cannot run program 'sh'");
    assertThat(LeakCheck.children()).as("nothing was spawned").isEmpty();
  }

  @Test
  void aRelativePathEntryIsRelativeToTheChildsWorkingDirectory() throws IOException {
    Files.createDirectory(dir.resolve("bin"));
    script("bin/relprog-7c1", "#!/bin/sh\necho relative\n");
    CompletedProcess done = Command.of("relprog-7c1").cwd(dir).env("PATH", "bin").captureOutput().run().block();
    assertThat(done.stdoutText()).isEqualTo("relative\n");
  }

  @Test
  void aFileWithoutInterpreterLineIsRefusedWithEnoexec() throws IOException {
    Path file = script("no-shebang", "echo this would run through /bin/sh\n");
    Throwable e = error(Command.of(file.toString()).captureOutput().run());
    assertThat(e).isInstanceOf(ProcessStartException.class);
    assertThat(((ProcessStartException) e).errorName()).isEqualTo("ENOEXEC");
    assertThat(e.getMessage()).contains(file.toString()).contains("Exec format error");
    assertThat(LeakCheck.children()).as("nothing was spawned").isEmpty();
  }

  @Test
  void aFileWithoutInterpreterLineFoundOnThePathIsRefusedToo() throws IOException {
    script("noshebang-7c1", "echo hi\n");
    Throwable e = error(Command.of("noshebang-7c1").env("PATH", dir.toString()).captureOutput().run());
    assertThat(((ProcessStartException) e).errorName()).isEqualTo("ENOEXEC");
  }

  @Test
  void anExecutableFifoGivenAsTheProgramIsRefusedWithoutWaitingForAWriter() throws IOException {
    Path fifo = dir.resolve("fifo-7c1");
    assertThat(Command.of("mkfifo", fifo.toString()).run().block().returnCode()).isZero();
    Files.setPosixFilePermissions(fifo, PosixFilePermissions.fromString("rwxr-xr-x"));
    Throwable e = error(Command.of(fifo.toString()).stdin(Redirect.DEVNULL).run());
    assertThat(e).isInstanceOf(ProcessStartException.class);
    assertThat(((ProcessStartException) e).errorName()).isEqualTo("EACCES");
  }

  @Test
  void aMissingExecutableIsNamedInTheMessage() {
    Throwable e = error(Command.of("sh", "-c", "true").executable(Path.of("nonexisting-7c1"))
        .stdin(Redirect.DEVNULL).run());
    assertThat(e).isInstanceOf(ProcessStartException.class);
    assertThat(e.getMessage()).startsWith("Cannot run program 'nonexisting-7c1'").contains("ENOENT")
        .contains("[sh, -c, true]");
  }

  // ---------------------------------------------------------------------------------------------- jdk parity

  @Test
  void executableGivesArgvZeroApart() {
    CompletedProcess done = Command.of("my-shell", "-c", "tr '\\0' ' ' < /proc/$$/cmdline; echo \"$0\"", "one")
        .executable(Path.of("/bin/sh")).captureOutput().run().block();
    assertThat(done.stdoutText()).startsWith("my-shell -c ").endsWith(" one one\n");
  }

  @Test
  void executableIsLookedUpOnTheChildsPath() throws IOException {
    script("exe-7c1", "#!/bin/sh\necho \"$0\"\n");
    CompletedProcess done = Command.of("zeroth").executable(Path.of("exe-7c1")).env("PATH", dir.toString())
        .captureOutput().run().block();
    assertThat(done.stdoutText()).isEqualTo(dir.resolve("exe-7c1") + "\n");
  }

  @Test
  void aGivenEnvironmentReachesTheChildExactlyWhereverItsProgramIsFound() {
    // No PATH in it: the program is found on the default search path, not this process's.
    CompletedProcess done = Command.of("env").env(java.util.Map.of("A", "1")).captureOutput().run().block();
    assertThat(done.stdoutText()).isEqualTo("A=1\n");
  }

  @Test
  void aGivenPwdAndBashEnvReachTheChildUntouched() throws IOException {
    Path sourced = script("sourced-7c1", "echo SOURCED\n");
    CompletedProcess done = Command.of("zeroth").executable(Path.of("/usr/bin/env"))
        .env(java.util.Map.of("PWD", "/nowhere-7c1", "SHLVL", "5", "BASH_ENV", sourced.toString()))
        .captureOutput().run().block();
    assertThat(done.stdoutText().lines().sorted())
        .containsExactly("BASH_ENV=" + sourced, "PWD=/nowhere-7c1", "SHLVL=5");
  }

  @Test
  void aNewSessionIsLedByTheChild() {
    CompletedProcess done = Command.shell("echo $$; cut -d' ' -f6 /proc/$$/stat").newSession()
        .stdout(Redirect.PIPE).run().block();
    String[] lines = done.stdoutText().split("\n");
    assertThat(lines[1]).isEqualTo(lines[0]);
  }

  @Test
  void aNewSessionKeepsThePid() {
    RunningProcess p = Command.shell("echo $$").newSession().stdout(Redirect.PIPE).start().block();
    CompletedProcess done = p.communicate().block(Duration.ofSeconds(30));
    assertThat(done.stdoutText().trim()).isEqualTo(Long.toString(p.pid()));
  }

  @Test
  void theStopPolicyStopsTheChildrenOfANewSession() {
    AtomicLong grandchild = new AtomicLong();
    StepVerifier.create(Command.shell("sleep 60 & echo $!; wait").newSession().lines())
        .assertNext(pid -> grandchild.set(Long.parseLong(pid)))
        .thenCancel()
        .verify(Duration.ofSeconds(20));
    Await.until("the grandchild is stopped",
        () -> ProcessHandle.of(grandchild.get()).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void anySignalIsSentAndAnUntrappedOneReportedAsMinusTheSignal() {
    RunningProcess sleeper = Command.of("sleep", "60").stdin(Redirect.DEVNULL).start().block();
    sleeper.sendSignal(Signals.SIGUSR1);
    assertThat(sleeper.exitCode().block(Duration.ofSeconds(30))).isEqualTo(-Signals.SIGUSR1);
  }

  @Test
  void aTrappedSignalReachesTheChild() {
    Path ready = dir.resolve("ready");
    RunningProcess p = Command.of("sh", "-c", "trap 'kill $!; echo got USR1; exit 3' USR1; : > \"$0\";"
        + " while :; do sleep 30 & wait $!; done", ready.toString()).stdout(Redirect.PIPE).start().block();
    Await.until("the trap is set", () -> Files.exists(ready));
    p.sendSignal(Signals.SIGUSR1);
    CompletedProcess done = p.communicate().block(Duration.ofSeconds(30));
    assertThat(done.stdoutText()).isEqualTo("got USR1\n");
    assertThat(done.returnCode()).isEqualTo(3);
  }

  @Test
  void sigstopAndSigcontStopAndResume() {
    RunningProcess p = Command.of("sleep", "60").stdin(Redirect.DEVNULL).start().block();
    try {
      p.sendSignal(Signals.SIGSTOP);
      Await.until("the process is stopped", () -> state(p.pid()) == 'T');
      p.sendSignal(Signals.SIGCONT);
      Await.until("the process runs again", () -> state(p.pid()) != 'T');
      assertThat(p.poll()).isEmpty();
    } finally {
      p.kill();
      assertThat(p.exitCode().block(Duration.ofSeconds(30))).isEqualTo(-Signals.SIGKILL);
    }
  }

  @Test
  void theStopPolicyUsesTheConfiguredSignal() {
    RunningProcess p = Command.of("sleep", "60").stdin(Redirect.DEVNULL).killSignal(Signals.SIGINT)
        .timeout(Duration.ofMillis(100)).start().block();
    assertThat(p.exitCode().block(Duration.ofSeconds(30))).isEqualTo(-Signals.SIGINT);
  }

  @Test
  void passFdsStaysRefusedOnTheJdkBackendAndAClosedOneIsNamedOnLinux() {
    Throwable e = error(Command.of("true").passFds(987).run());
    if (jdk()) {
      assertThat(e).isInstanceOf(UnsupportedOperationException.class);
      assertThat(e.getMessage()).contains("passFds").contains("--enable-native-access");
    } else {
      assertThat(e).isInstanceOf(ProcessStartException.class);
      assertThat(e.getMessage()).contains("passFds(987)").contains("descriptor 987 is not open");
      assertThat(((ProcessStartException) e).errorName()).isEqualTo("EBADF");
    }
    assertThat(LeakCheck.children()).as("nothing was spawned").isEmpty();
  }

  private static char state(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2);
    } catch (IOException e) {
      return '?';
    }
  }

  // ---------------------------------------------------------------------------------------------- text

  @Test
  void aLoneSurrogateIsRefusedBeforeAnythingStarts() {
    Throwable e = error(Command.of("echo", "a\uD800b").run());
    assertThat(e).isInstanceOf(IllegalArgumentException.class);
    assertThat(e.getMessage()).contains("argument 1").contains("\\uD800").contains("[echo, a\\uD800b]");
    Throwable env = error(Command.of("true").env("ODD", "\uDFFF").run());
    assertThat(env).isInstanceOf(IllegalArgumentException.class);
    assertThat(env.getMessage()).contains("ODD");
    assertThat(LeakCheck.children()).as("nothing was spawned").isEmpty();
  }

  @Test
  void anEscapedByteReachesTheChildOnLinuxAndIsRefusedOnJdk() {
    reactor.core.publisher.Mono<CompletedProcess> run = Command.of("sh", "-c", "printf %s \"$1\"", "sh",
        "\u00e9\uDCFF").captureOutput().run();
    if (jdk()) {
      Throwable e = error(run);
      assertThat(e).isInstanceOf(IllegalArgumentException.class);
      assertThat(e.getMessage()).contains("sun.jnu.encoding").contains("argument 4");
    } else {
      assertThat(run.block().stdout()).containsExactly(0xc3, 0xa9, 0xff);
    }
  }

  @Test
  void textOfTheArgumentsAndEnvironmentReachesTheChildAsUtf8() {
    assumeTrue(StandardCharsets.UTF_8.equals(dev.subprocess.internal.NativeText.JNU) || !jdk(),
        "the jdk backend encodes with sun.jnu.encoding");
    CompletedProcess done = Command.of("sh", "-c", "printf '%s|%s' \"$1\" \"$V\"", "sh", "\u00e9\u4e2d\uD83D\uDE00")
        .env("V", "\u00fc").captureOutput().run().block();
    assertThat(new String(done.stdout(), StandardCharsets.UTF_8)).isEqualTo("\u00e9\u4e2d\uD83D\uDE00|\u00fc");
  }

  @Test
  void aNulInAVariableFromTheContextIsRefusedNamingIt() {
    Throwable e = error(Command.of("true").envFromContext("FROM_CONTEXT", "key").run()
        .contextWrite(Context.of("key", "a\0b")));
    assertThat(e).isInstanceOf(IllegalArgumentException.class);
    assertThat(e.getMessage()).contains("FROM_CONTEXT").contains("NUL").contains("envFromContext");
    assertThat(LeakCheck.children()).as("nothing was spawned").isEmpty();
  }

  // ---------------------------------------------------------------------------------------------- Backend

  @Test
  void theBackendSaysWhatItSupports() {
    Backend backend = Subprocess.backend();
    assertThat(backend.name()).isEqualTo(Engine.backendName());
    assertThat(Subprocess.backend()).isSameAs(backend);
    if (jdk()) {
      assertThat(backend.supports(Backend.Feature.TERMINAL)).isFalse();
      assertThat(backend.supports(Backend.Feature.PASS_FDS)).isFalse();
      assertThat(backend.supports(Backend.Feature.NEW_SESSION)).isTrue();
      assertThat(backend.supports(Backend.Feature.ANY_SIGNAL)).isTrue();
      assertThat(backend.supports(Backend.Feature.EXECUTABLE)).isTrue();
    } else {
      assertThat(backend.features()).containsExactlyInAnyOrder(Backend.Feature.values());
    }
    assertThat(backend.toString()).startsWith(backend.name() + " [");
    assertThatThrownBy(() -> backend.features().add(Backend.Feature.TERMINAL))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}

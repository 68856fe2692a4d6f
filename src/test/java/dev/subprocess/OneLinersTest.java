package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.LeakCheck;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Pins Python's module-level one-liners as this library offers them, with the examples of Python's documentation.
 * The commands used here neither read stdin nor write to an inherited stdout, which belong to the test runner.
 */
class OneLinersTest {

  @TempDir
  Path dir;

  // ---------------------------------------------------------------------------------------------- getStatusOutput

  @Test
  void getStatusOutputOfLsBinLs() {
    StepVerifier.create(Subprocess.getStatusOutput("ls /bin/ls"))
        .expectNext(new StatusOutput(0, "/bin/ls"))
        .verifyComplete();
  }

  @Test
  void getStatusOutputOfCatBinJunk() {
    StatusOutput result = Subprocess.getStatusOutput("cat /bin/junk").block();
    assertThat(result.status()).isEqualTo(1);
    assertThat(result.output()).contains("/bin/junk").contains("No such file or directory").doesNotEndWith("\n");
  }

  @Test
  void getStatusOutputOfBinJunk() {
    StatusOutput result = Subprocess.getStatusOutput("/bin/junk").block();
    assertThat(result.status()).isEqualTo(127);
    assertThat(result.output()).contains("/bin/junk").contains("not found").doesNotEndWith("\n");
  }

  @Test
  void getStatusOutputOfAShellThatKillsItself() {
    StatusOutput result = Subprocess.getStatusOutput("/bin/kill $$").block();
    assertThat(result.output()).isEmpty();
    if (Engine.backendName().equals("jdk")) {
      // The JDK reports death by SIGTERM as 128 + 15 and this library did not send the signal (see JdkChild).
      assertThat(result.status()).isIn(-15, 143);
    } else {
      assertThat(result.status()).isEqualTo(-15);
    }
  }

  @Test
  void getStatusOutputMergesStderrIntoOutputInOrder() {
    StatusOutput result = Subprocess.getStatusOutput("echo out1; echo err >&2; echo out2; exit 4").block();
    assertThat(result).isEqualTo(new StatusOutput(4, "out1\nerr\nout2"));
  }

  @Test
  void getStatusOutputStripsOnlyOneTrailingNewline() {
    assertThat(Subprocess.getStatusOutput("printf 'a\\n\\n'").block()).isEqualTo(new StatusOutput(0, "a\n"));
    assertThat(Subprocess.getStatusOutput("printf 'a'").block()).isEqualTo(new StatusOutput(0, "a"));
    assertThat(Subprocess.getStatusOutput("printf '\\n'").block()).isEqualTo(new StatusOutput(0, ""));
    assertThat(Subprocess.getStatusOutput("true").block()).isEqualTo(new StatusOutput(0, ""));
  }

  @Test
  void getStatusOutputTranslatesUniversalNewlines() {
    assertThat(Subprocess.getStatusOutput("printf 'a\\r\\nb\\r\\n'").block()).isEqualTo(new StatusOutput(0, "a\nb"));
  }

  @Test
  void getStatusOutputNeverFailsOnNonZeroStatus() {
    StepVerifier.create(Subprocess.getStatusOutput("exit 3"))
        .expectNext(new StatusOutput(3, ""))
        .verifyComplete();
  }

  @Test
  void getOutputOfLsBinLs() {
    StepVerifier.create(Subprocess.getOutput("ls /bin/ls"))
        .expectNext("/bin/ls")
        .verifyComplete();
  }

  @Test
  void getOutputKeepsOutputOfAFailingCommand() {
    assertThat(Subprocess.getOutput("cat /bin/junk").block()).contains("No such file or directory");
  }

  // ---------------------------------------------------------------------------------------------- call family

  @Test
  void runReturnsTheCompletedProcessWithoutCapture() {
    CompletedProcess done = Subprocess.run("sh", "-c", "exit 4").block();
    assertThat(done.args()).containsExactly("sh", "-c", "exit 4");
    assertThat(done.returnCode()).isEqualTo(4);
    assertThat(done.stdout()).isNull();
    assertThat(done.stderr()).isNull();
  }

  @Test
  void callReturnsTheCode() {
    StepVerifier.create(Subprocess.call("sh", "-c", "exit 3")).expectNext(3).verifyComplete();
    StepVerifier.create(Subprocess.call("true")).expectNext(0).verifyComplete();
    StepVerifier.create(Subprocess.call("false")).expectNext(1).verifyComplete();
  }

  @Test
  void checkCallCompletesEmptyOnSuccess() {
    StepVerifier.create(Subprocess.checkCall("true")).verifyComplete();
  }

  @Test
  void checkCallOnFalseFailsWithCalledProcessException() {
    StepVerifier.create(Subprocess.checkCall("false"))
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(CalledProcessException.class);
          CalledProcessException called = (CalledProcessException) e;
          assertThat(called.returnCode()).isEqualTo(1);
          assertThat(called.command()).containsExactly("false");
          assertThat(called.getMessage()).startsWith("Command '[false]' returned non-zero exit status 1.");
        })
        .verify();
  }

  @Test
  void checkOutputReturnsStdoutBytes() {
    byte[] out = Subprocess.checkOutput("printf", "%s\\n", "hello", "wörld").block();
    assertThat(out).isEqualTo("hello\nwörld\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void checkOutputOfASilentCommandIsEmpty() {
    assertThat(Subprocess.checkOutput("true").block()).isEmpty();
  }

  @Test
  void checkOutputFailureCarriesStdout() {
    assertThatThrownBy(() -> Subprocess.checkOutput("sh", "-c", "echo partial; exit 2").block())
        .isInstanceOfSatisfying(CalledProcessException.class, e -> {
          assertThat(e.returnCode()).isEqualTo(2);
          assertThat(e.stdout()).isEqualTo("partial\n".getBytes(StandardCharsets.UTF_8));
          assertThat(e.stderr()).isNull();
          assertThat(e.command()).containsExactly("sh", "-c", "echo partial; exit 2");
        });
  }

  // ---------------------------------------------------------------------------------------------- laziness

  @Test
  void runIsLazy() {
    Path marker = dir.resolve("run");
    assertLazy(Subprocess.run("touch", marker.toString()), marker);
  }

  @Test
  void callIsLazy() {
    Path marker = dir.resolve("call");
    assertLazy(Subprocess.call("touch", marker.toString()), marker);
  }

  @Test
  void checkCallIsLazy() {
    Path marker = dir.resolve("checkCall");
    assertLazy(Subprocess.checkCall("touch", marker.toString()), marker);
  }

  @Test
  void checkOutputIsLazy() {
    Path marker = dir.resolve("checkOutput");
    assertLazy(Subprocess.checkOutput("touch", marker.toString()), marker);
  }

  @Test
  void getStatusOutputIsLazy() {
    Path marker = dir.resolve("getStatusOutput");
    assertLazy(Subprocess.getStatusOutput("touch '" + marker + "'"), marker);
  }

  @Test
  void getOutputIsLazy() {
    Path marker = dir.resolve("getOutput");
    assertLazy(Subprocess.getOutput("touch '" + marker + "'"), marker);
  }

  @Test
  void commandRunIsLazy() {
    Path marker = dir.resolve("command");
    assertLazy(Command.of("touch", marker.toString()).stdin(Redirect.DEVNULL).run(), marker);
  }

  @Test
  void eachSubscriptionRunsANewProcess() throws Exception {
    Path log = dir.resolve("log");
    Mono<Integer> append = Subprocess.call("sh", "-c", "echo ran >> '" + log + "'");
    append.block();
    append.block();
    append.block();
    assertThat(Files.readAllLines(log)).containsExactly("ran", "ran", "ran");
  }

  @Test
  void eachSubscriptionGetsADifferentPid() {
    Mono<byte[]> pid = Subprocess.checkOutput("sh", "-c", "echo $$");
    String first = new String(pid.block(), StandardCharsets.UTF_8);
    String second = new String(pid.block(), StandardCharsets.UTF_8);
    assertThat(first).isNotBlank();
    assertThat(second).isNotBlank().isNotEqualTo(first);
  }

  @Test
  void eachSubscriptionOfGetStatusOutputRunsAgain() throws Exception {
    Path counter = dir.resolve("counter");
    Mono<StatusOutput> count = Subprocess.getStatusOutput("echo x >> '" + counter + "'; wc -l < '" + counter + "'");
    assertThat(count.block().output().trim()).isEqualTo("1");
    assertThat(count.block().output().trim()).isEqualTo("2");
  }

  private static void assertLazy(Mono<?> mono, Path marker) {
    assertThat(marker).doesNotExist();
    assertThat(mono).isNotNull();
    assertThat(LeakCheck.children()).as("no process is started before subscription").isEmpty();
    assertThat(marker).as("nothing runs before subscription").doesNotExist();
    mono.block();
    assertThat(marker).as("the subscription ran the command").exists();
  }
}

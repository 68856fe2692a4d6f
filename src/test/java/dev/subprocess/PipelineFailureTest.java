package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subprocess.PipelineException.FailedStage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** A failing pipeline reports every stage's return code and the failed stages, as Python's PipelineError does. */
class PipelineFailureTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  @Test
  void aCheckedRunFailsWithEveryReturnCodeAndTheFailedStages() {
    Command failing = Command.shell("cat >/dev/null; echo 'no good' >&2; exit 1").stderr(Redirect.PIPE);
    StepVerifier.create(Pipeline.of(Command.of("printf", "x"), failing).check().run())
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(PipelineException.class).isInstanceOf(CalledProcessException.class);
          PipelineException p = (PipelineException) e;
          assertThat(p.returnCodes()).containsExactly(0, 1);
          assertThat(p.failed()).containsExactly(new FailedStage(1, 1));
          assertThat(p.commands()).containsExactly(List.of("printf", "x"), failing.args());
          assertThat(p.returnCode()).isEqualTo(1);
          assertThat(p.command()).isEqualTo(failing.args());
          assertThat(p.stderr()).asString().isEqualTo("no good\n");
          assertThat(p.result().stages().get(1).stderrText()).isEqualTo("no good\n");
          assertThat(p.getMessage())
              .startsWith("Pipeline failed: [printf, x] | " + failing.args() + " returned [0, 1].")
              .contains("stage 2 of 2 'cat >/dev/null; echo 'no good' >&2; exit 1' returned non-zero exit status 1.")
              .contains("no good")
              .contains("working directory: " + Path.of("").toAbsolutePath())
              .doesNotContain("stage 1 of 2");
        })
        .verify(LIMIT);
  }

  @Test
  void checkReturnCodesRaisesTheSameForAnUncheckedRun() {
    CompletedPipeline done = Pipeline.of(Command.shell("exit 2"), Command.shell("cat; exit 0"),
        Command.shell("cat; exit 3")).run().block(LIMIT);
    assertThat(done.returnCodes()).containsExactly(2, 0, 3);
    assertThat(done.returnCode()).isEqualTo(3);
    for (Runnable check : List.<Runnable>of(done::checkReturnCodes, done::checkReturnCode)) {
      assertThatThrownBy(check::run).isInstanceOfSatisfying(PipelineException.class, e -> {
        assertThat(e.failed()).containsExactly(new FailedStage(0, 2), new FailedStage(2, 3));
        assertThat(e.returnCodes()).containsExactly(2, 0, 3);
        assertThat(e.returnCode()).isEqualTo(3);
        assertThat(e.result()).isSameAs(done);
        assertThat(e.getMessage()).startsWith("Pipeline failed: ")
            .contains("stage 1 of 3 'exit 2' returned non-zero exit status 2.")
            .contains("stage 3 of 3 'cat; exit 3' returned non-zero exit status 3.")
            .doesNotContain("stage 2 of 3");
      });
    }
  }

  @Test
  void aSucceedingPipelinePassesItsCheck() {
    CompletedPipeline done = Command.of("printf", "a").pipeTo(Command.of("cat")).check().run().block(LIMIT);
    assertThat(done.returnCodes()).containsExactly(0, 0);
    assertThat(done.checkReturnCodes()).isSameAs(done);
  }

  @Test
  void anEarlierStageKilledBySigpipeIsNoFailure() {
    CompletedPipeline done = Command.of("yes").stdin(Redirect.DEVNULL).pipeTo(Command.of("head", "-1"))
        .captureOutput().check().run().block(LIMIT);
    assertThat(done.returnCodes().get(0)).isIn(-13, 128 + 13);
    assertThat(done.returnCodes().get(1)).isZero();
    assertThat(done.checkReturnCodes()).isSameAs(done);
    assertThat(done.stdoutText()).isEqualTo("y\n");
  }

  @Test
  void outputFailsWithEveryFailedStageAndTheirStderrTails() {
    StepVerifier.create(Pipeline.of(Command.shell("echo 'first broke' >&2; exit 1"),
            Command.shell("cat; echo 'second broke' >&2; exit 2")).output())
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(PipelineException.class);
          PipelineException p = (PipelineException) e;
          assertThat(p.failed()).containsExactly(new FailedStage(0, 1), new FailedStage(1, 2));
          assertThat(p.returnCode()).isEqualTo(2);
          assertThat(p.stdout()).isNull();
          assertThat(p.getMessage()).startsWith("Pipeline failed: ").contains("first broke", "second broke");
        })
        .verify(LIMIT);
    StepVerifier.create(Command.of("printf", "a\\nb\\n").pipeTo(Command.shell("cat; exit 5")).lines())
        .expectNext("a", "b")
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(PipelineException.class,
            p -> assertThat(p.failed()).containsExactly(new FailedStage(1, 5))))
        .verify(LIMIT);
  }

  @Test
  void theStderrTailsOfAStreamedPipelinesFailureHonourEachStagesDecodingErrors() {
    Command invalid = Command.shell("printf 'bad \\377\\n' >&2; exit 1")
        .encodingErrors(java.nio.charset.CodingErrorAction.REPLACE);
    StepVerifier.create(Pipeline.of(invalid, Command.of("cat")).output())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(PipelineException.class,
            p -> assertThat(p.result().stages().get(0).stderrText()).isEqualTo("bad \uFFFD\n")))
        .verify(LIMIT);
  }

  @Test
  void aStagesOkExitCodesAreNoFailureOfThePipeline() {
    Command grep = Command.of("grep", "ERROR").okExitCodes(1);
    CompletedPipeline done = grep.pipeTo(Command.of("wc", "-l")).input("ok\n").captureOutput().check().run()
        .block(LIMIT);
    assertThat(done.returnCodes()).containsExactly(1, 0);
    assertThat(done.stdoutText().strip()).isEqualTo("0");
    StepVerifier.create(grep.pipeTo(Command.of("cat")).input("ok\n").lines()).verifyComplete();
    StepVerifier.create(grep.pipeTo(Command.shell("cat; exit 2")).input("ok\n").lines())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(PipelineException.class,
            p -> assertThat(p.failed()).containsExactly(new FailedStage(1, 2))))
        .verify(LIMIT);
  }

  @Test
  void aStagesOwnCheckFailsTheRunWhenThatStageFails() {
    CompletedPipeline unchecked = Pipeline.of(Command.shell("exit 1"), Command.of("cat").check()).run().block(LIMIT);
    assertThat(unchecked.returnCodes()).containsExactly(1, 0);
    StepVerifier.create(Pipeline.of(Command.shell("exit 1").check(), Command.of("cat")).run())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(PipelineException.class,
            p -> assertThat(p.failed()).containsExactly(new FailedStage(0, 1))))
        .verify(LIMIT);
  }

  @Test
  void eachFailedStageNamesItsOwnWorkingDirectoryWhenTheyDiffer(@TempDir Path dir) throws Exception {
    Path other = Files.createDirectory(dir.resolve("other"));
    StepVerifier.create(Pipeline.of(Command.shell("exit 1").cwd(other), Command.shell("cat; exit 2"))
            .cwd(dir).check().run())
        .expectErrorSatisfies(e -> assertThat(e.getMessage())
            .contains("stage 1 of 2 'exit 1' returned non-zero exit status 1.\n"
                + "    working directory: " + other)
            .contains("stage 2 of 2 'cat; exit 2' returned non-zero exit status 2.\n"
                + "    working directory: " + dir))
        .verify(LIMIT);
  }

  @Test
  void aStageKilledByASignalIsNamedWithTheSignal() {
    StepVerifier.create(Pipeline.of(Command.of("printf", "x"), Command.shell("cat >/dev/null; kill -9 $$"))
            .check().run())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(PipelineException.class, p -> {
          assertThat(p.returnCodes().get(1)).isIn(-9, 128 + 9);
          assertThat(p.failed()).hasSize(1);
          assertThat(p.failed().get(0).index()).isEqualTo(1);
        }))
        .verify(LIMIT);
  }
}

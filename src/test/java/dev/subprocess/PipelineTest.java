package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subprocess.testing.Await;
import dev.subprocess.testing.LeakCheck;
import dev.subprocess.testing.ProcStat;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** Pipelines: stages joined by OS pipes, each stage's status reported, failures as set -o pipefail. */
class PipelineTest {

  @Test
  void joinsStagesLikeTheShell() {
    StepVerifier.create(Command.of("printf", "b\\na\\nc\\n").pipeTo(Command.of("sort")).pipeTo(Command.of("head", "-2"))
            .lines())
        .expectNext("a", "b")
        .verifyComplete();
  }

  @Test
  void runReportsEveryStage() {
    CompletedPipeline done = Pipeline.of(
            Command.shell("echo data; echo first >&2").stderr(Redirect.PIPE),
            Command.of("tr", "a-z", "A-Z").stdout(Redirect.PIPE))
        .run()
        .block();
    assertThat(done.stages()).hasSize(2);
    assertThat(done.stages().get(0).stderrText()).isEqualTo("first\n");
    assertThat(done.stages().get(0).stdout()).isNull();
    assertThat(done.stdoutText()).isEqualTo("DATA\n");
    assertThat(done.returnCode()).isZero();
  }

  @Test
  void aFailingStageFailsThePipelineAsPipefailDoes() {
    CompletedPipeline done = Pipeline.of(Command.shell("exit 3"), Command.of("cat").stdout(Redirect.PIPE)).run().block();
    assertThat(done.stages().get(0).returnCode()).isEqualTo(3);
    assertThat(done.stages().get(1).returnCode()).isZero();
    assertThat(done.returnCode()).isEqualTo(3);
    assertThatThrownBy(done::checkReturnCode).isInstanceOf(PipelineException.class)
        .hasMessageStartingWith("Pipeline failed: [/bin/sh, -c, exit 3] | [cat] returned [3, 0].")
        .hasMessageContaining("stage 1 of 2 'exit 3' returned non-zero exit status 3.");
    StepVerifier.create(Pipeline.of(Command.shell("exit 3"), Command.of("cat")).check().run())
        .expectError(PipelineException.class)
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void outputFailsWithTheRightmostFailingStageAndItsStderr() {
    StepVerifier.create(Pipeline.of(Command.shell("echo 'first broke' >&2; exit 1"),
            Command.shell("cat; echo 'second broke' >&2; exit 2")).output())
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(CalledProcessException.class);
          assertThat(((CalledProcessException) e).returnCode()).isEqualTo(2);
          assertThat(e.getMessage()).contains("second broke");
        })
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void theBytesBetweenStagesNeverPassThroughThisProcess() {
    Disposable running = Pipeline.of(Command.of("sleep", "60"), Command.of("sleep", "60")).run().subscribe();
    try {
      // Both stages have exec'd sleep (on the jdk backend a child is visible earlier, as the JDK's spawn helper).
      Await.until("both stages run sleep", () -> {
        List<ProcessHandle> children = LeakCheck.children();
        return children.size() == 2 && children.stream()
            .allMatch(p -> p.info().command().map(c -> c.endsWith("/sleep")).orElse(false));
      });
      List<ProcessHandle> stages = LeakCheck.children();
      String a = ProcStat.fdTarget(stages.get(0).pid(), 1);
      String b = ProcStat.fdTarget(stages.get(1).pid(), 0);
      String between = a.startsWith("pipe:") ? a : b;
      assertThat(List.of(a, b)).contains(between);
      assertThat(between).startsWith("pipe:");
      assertThat(stages.stream().anyMatch(p -> ProcStat.fdTarget(p.pid(), 0).equals(between))).isTrue();
      assertThat(stages.stream().anyMatch(p -> ProcStat.fdTarget(p.pid(), 1).equals(between))).isTrue();
      assertThat(LeakCheck.openFds().values()).doesNotContain(between);
    } finally {
      running.dispose();
    }
    Await.until("both stages are stopped", () -> LeakCheck.children().isEmpty());
  }

  @Test
  void aStageThatCannotStartStopsTheStagesBeforeIt() {
    StepVerifier.create(Pipeline.of(Command.of("sleep", "60"), Command.of("/nonexistent/program")).run())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(ProcessStartException.class)
            .hasMessageContaining("/nonexistent/program"))
        .verify(Duration.ofSeconds(20));
    Await.until("the first stage is gone", () -> LeakCheck.children().isEmpty());
  }

  @Test
  void aPipelineTimeoutStopsEveryStage() {
    StepVerifier.create(Pipeline.of(Command.of("sleep", "60"), Command.of("cat")).timeout(Duration.ofMillis(200)).run())
        .expectError(TimeoutExpiredException.class)
        .verify(Duration.ofSeconds(20));
  }

  @Test
  void onlyTheEndsOfAPipelineHaveTheirOwnStdinAndStdout() {
    assertThatThrownBy(() -> Pipeline.of(Command.of("cat"), Command.of("cat").input("x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stage 2");
    assertThatThrownBy(() -> Pipeline.of(Command.of("cat").stdout(Redirect.DEVNULL), Command.of("cat")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stage 1");
    assertThatThrownBy(Pipeline::of).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void theFirstStageTakesThePipelinesInput() {
    StepVerifier.create(Command.of("cat").input("c\nb\na\n").pipeTo(Command.of("sort")).lines())
        .expectNext("a", "b", "c")
        .verifyComplete();
  }
}

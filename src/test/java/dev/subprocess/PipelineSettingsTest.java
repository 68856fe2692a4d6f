package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Pipeline-wide settings apply to every stage, and a stage's own setting wins over the pipeline's. */
class PipelineSettingsTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  @Test
  void captureOutputTakesTheLastStdoutAndEveryStderrApart() {
    CompletedPipeline done = Pipeline.of(Command.shell("echo data; echo one >&2"),
        Command.shell("tr a-z A-Z; echo two >&2")).captureOutput().run().block(LIMIT);
    assertThat(done.stdoutText()).isEqualTo("DATA\n");
    assertThat(done.stages().get(0).stdout()).isNull();
    assertThat(done.stages().get(0).stderrText()).isEqualTo("one\n");
    assertThat(done.stages().get(1).stderrText()).isEqualTo("two\n");
  }

  @Test
  void aStagesOwnRedirectWinsOverCaptureOutput(@TempDir Path dir) throws Exception {
    Path err = dir.resolve("err");
    Path out = dir.resolve("out");
    CompletedPipeline done = Pipeline.of(Command.shell("echo data; echo one >&2").stderr(Redirect.to(err)),
        Command.shell("cat; echo two >&2").stdout(Redirect.to(out))).captureOutput().run().block(LIMIT);
    assertThat(done.stages().get(0).stderr()).isNull();
    assertThat(done.stdout()).isNull();
    assertThat(done.stages().get(1).stderrText()).isEqualTo("two\n");
    assertThat(Files.readString(err)).isEqualTo("one\n");
    assertThat(Files.readString(out)).isEqualTo("data\n");
  }

  @Test
  void cwdAppliesToEveryStageWithoutItsOwn(@TempDir Path dir) throws Exception {
    Path a = Files.createDirectory(dir.resolve("a")).toRealPath();
    Path b = Files.createDirectory(dir.resolve("b")).toRealPath();
    StepVerifier.create(Pipeline.of(Command.of("pwd"), Command.shell("cat; pwd").cwd(b)).cwd(a).lines())
        .expectNext(a.toString(), b.toString())
        .verifyComplete();
  }

  @Test
  void envVariablesApplyUnderEachStagesOwn() {
    StepVerifier.create(Pipeline.of(Command.shell("echo $A $B"), Command.shell("cat; echo $A $B").env("B", "own"))
            .env("A", "pa").env("B", "pb").lines())
        .expectNext("pa pb", "pa own")
        .verifyComplete();
  }

  @Test
  void aWholeEnvironmentAppliesUnlessAStageReplacesItsOwn() {
    Map<String, String> env = Map.of("A", "whole", "PATH", System.getenv("PATH"));
    StepVerifier.create(Pipeline.of(Command.shell("echo ${HOME-nohome} $A $C").env("C", "mine"),
            Command.shell("cat; echo ${A-none} $D").env(Map.of("D", "d"))).env(env).lines())
        .expectNext("nohome whole mine", "none d")
        .verifyComplete();
  }

  @Test
  void aStagesOwnTimeoutWinsOverThePipelines() {
    Duration own = Duration.ofMillis(100);
    StepVerifier.create(Pipeline.of(Command.of("sleep", "60").stdin(Redirect.DEVNULL).timeout(own),
            Command.of("cat")).timeout(Duration.ofHours(1)).run())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TimeoutExpiredException.class, t -> {
          assertThat(t.timeout()).isEqualTo(own);
          assertThat(t.command()).containsExactly("sleep", "60");
        }))
        .verify(LIMIT);
  }

  @Test
  void aStageThatTimesOutStopsTheStagesThatWouldGoOn() {
    Duration own = Duration.ofMillis(100);
    // The second stage never reads its stdin, so only the stop of the whole pipeline ends it within the bound.
    Pipeline pipeline = Pipeline.of(Command.of("sleep", "600").stdin(Redirect.DEVNULL).timeout(own),
        Command.of("sleep", "601"));
    StepVerifier.create(pipeline.run())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TimeoutExpiredException.class,
            t -> assertThat(t.command()).containsExactly("sleep", "600")))
        .verify(LIMIT);
    StepVerifier.create(pipeline.output())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TimeoutExpiredException.class,
            t -> assertThat(t.command()).containsExactly("sleep", "600")))
        .verify(LIMIT);
  }

  @Test
  void aPipelineTimeoutOfZeroOrLessExpiresAtOnceAsACommandsDoes() {
    for (Duration limit : List.of(Duration.ZERO, Duration.ofSeconds(-1))) {
      StepVerifier.create(Pipeline.of(Command.of("sleep", "600").stdin(Redirect.DEVNULL), Command.of("sleep", "601"))
              .timeout(limit).run())
          .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TimeoutExpiredException.class, t -> {
            assertThat(t.timeout()).isEqualTo(limit);
            assertThat(t.command()).containsExactly("sleep", "600");
          }))
          .verify(LIMIT);
    }
  }

  @Test
  void thePipelinesTimeoutAppliesToEveryStage() {
    Duration limit = Duration.ofMillis(100);
    // Neither stage ends by itself, so whichever timer fires first, it is the pipeline's.
    StepVerifier.create(Pipeline.of(Command.of("sleep", "60").stdin(Redirect.DEVNULL), Command.of("sleep", "61"))
            .timeout(limit).run())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(TimeoutExpiredException.class, t -> {
          assertThat(t.timeout()).isEqualTo(limit);
          assertThat(t.command()).isIn(List.of("sleep", "60"), List.of("sleep", "61"));
        }))
        .verify(LIMIT);
  }

  @Test
  void thePipelinesInputFeedsTheFirstStage() {
    Pipeline sort = Pipeline.of(Command.of("cat"), Command.of("sort"));
    StepVerifier.create(sort.input("c\nb\na\n").lines()).expectNext("a", "b", "c").verifyComplete();
    StepVerifier.create(sort.input("y\nx\n".getBytes(StandardCharsets.UTF_8)).lines())
        .expectNext("x", "y").verifyComplete();
    StepVerifier.create(sort.input(Flux.just("2\n", "1\n").map(s -> ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8))))
            .lines())
        .expectNext("1", "2").verifyComplete();
  }

  @Test
  void thePipelinesStdinFeedsTheFirstStage(@TempDir Path dir) throws Exception {
    Path in = Files.writeString(dir.resolve("in"), "b\na\n");
    StepVerifier.create(Pipeline.of(Command.of("cat"), Command.of("sort")).stdin(Redirect.from(in)).lines())
        .expectNext("a", "b").verifyComplete();
    StepVerifier.create(Pipeline.of(Command.of("cat"), Command.of("wc", "-c")).stdin(Redirect.DEVNULL).lines())
        .expectNext("0").verifyComplete();
  }

  @Test
  void settingsMadeBeforePipeToApplyToTheNewStage() {
    StepVerifier.create(Pipeline.of(Command.shell("echo $A"), Command.shell("cat; echo $A")).env("A", "x")
            .pipeTo(Command.shell("cat; echo $A")).lines())
        .expectNext("x", "x", "x")
        .verifyComplete();
  }
}

package dev.subprocess.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.subprocess.Subprocess;
import dev.subprocess.micrometer.SubprocessObservations;
import dev.subprocess.testing.Await;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * Every Java snippet of the README is quoted from {@link ReadmeExamples} or from a tested source it names (the
 * WebFlux application of the web tests), which compile and run.
 */
class ReadmeTest {
  private static final List<String> QUOTED_SOURCES = List.of(
      "src/test/java/dev/subprocess/readme/ReadmeExamples.java",
      "src/test/java/dev/subprocess/web/ProcessProblems.java",
      "src/test/java/dev/subprocess/web/BuildController.java");
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyJavaSnippetOfTheReadmeIsCompiledCode() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    StringBuilder sources = new StringBuilder();
    for (String source : QUOTED_SOURCES) {
      sources.append(Files.readString(Path.of(source))).append('\n');
    }
    String examples = normalize(sources.toString());
    List<String> blocks = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(readme);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(8);
    for (String block : blocks) {
      assertThat(examples).as("README snippet is quoted from %s:%n%s", QUOTED_SOURCES, block).contains(normalize(block));
    }
  }

  @Test
  void theSnippetsThatNeedNothingButAShellRun() throws Exception {
    StepVerifier.create(ReadmeExamples.oneLiners()).expectNext(0).verifyComplete();
    StepVerifier.create(ReadmeExamples.popen()).verifyComplete();
    StepVerifier.create(ReadmeExamples.popenTimeouts())
        .assertNext(done -> {
          assertThat(done.get(0).stdoutText()).isEqualTo("working\n");
          assertThat(done.get(0).returnCode()).isEqualTo(-9);
          assertThat(done.get(1).stdoutText()).isEqualTo("apple\nfig\npear\n");
        })
        .expectComplete()
        .verify(Duration.ofSeconds(60));
    StepVerifier.create(ReadmeExamples.execute().reduce(String::concat)).expectNext("apple\npear\n").verifyComplete();
    StepVerifier.create(ReadmeExamples.resourceUsage()).expectNextCount(1).verifyComplete();
    StepVerifier.create(ReadmeExamples.lentOutput())
        .assertNext(hashed -> assertThat(hashed).matches("[1-9][0-9]* [0-9a-f]{64}"))
        .verifyComplete();
    StepVerifier.create(ReadmeExamples.pipelineFailure()).expectNext("0\n").verifyComplete();
    assertThat(ReadmeExamples.workerPool()).containsExactly("1", "4", "9", "16", "25");
    assertThat(ReadmeExamples.backend()).startsWith(Subprocess.backend().name() + " [");
  }

  @Test
  void theTerminalSnippetRunsOnTheLinuxBackend() {
    org.junit.jupiter.api.Assumptions.assumeTrue(dev.subprocess.internal.Engine.backendName().equals("linux"),
        "runs on the linux backend");
    StepVerifier.create(ReadmeExamples.terminal()).expectNext("120x40").verifyComplete();
  }

  @Test
  void theObservationSnippetObservesTheProcess() {
    TestObservationRegistry registry = TestObservationRegistry.create();
    List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
    registry.observationConfig().observationHandler(new ObservationHandler<>() {
      @Override
      public boolean supportsContext(Observation.Context context) {
        return true;
      }

      @Override
      public void onStop(Observation.Context context) {
        stopped.add(context);
      }
    });
    try {
      StepVerifier.create(ReadmeExamples.observations(registry)).expectNextCount(1).verifyComplete();
      Await.until("the observation of uname stopped", () -> !stopped.isEmpty());
    } finally {
      SubprocessObservations.disable();
    }
    TestObservationRegistryAssert.assertThat(registry).hasObservationWithNameEqualTo("subprocess").that()
        .hasLowCardinalityKeyValue("command", "uname")
        .hasLowCardinalityKeyValue("outcome", "OK")
        .hasLowCardinalityKeyValue("exit.code", "0");
  }

  private static String normalize(String code) {
    return code.lines().map(String::strip).filter(line -> !line.isEmpty()).reduce("", (a, b) -> a + "\n" + b);
  }
}

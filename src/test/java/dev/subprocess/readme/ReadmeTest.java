package dev.subprocess.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Every Java snippet of the README is quoted from {@link ReadmeExamples}, which compiles and runs. */
class ReadmeTest {
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);

  @Test
  void everyJavaSnippetOfTheReadmeIsCompiledCode() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    String examples = normalize(Files.readString(
        Path.of("src/test/java/dev/subprocess/readme/ReadmeExamples.java")));
    List<String> blocks = new ArrayList<>();
    Matcher m = JAVA_BLOCK.matcher(readme);
    while (m.find()) {
      blocks.add(m.group(1));
    }
    assertThat(blocks).hasSizeGreaterThanOrEqualTo(8);
    for (String block : blocks) {
      assertThat(examples).as("README snippet is quoted from ReadmeExamples:%n%s", block).contains(normalize(block));
    }
  }

  @Test
  void theSnippetsThatNeedNothingButAShellRun() {
    StepVerifier.create(ReadmeExamples.oneLiners()).expectNext(0).verifyComplete();
    StepVerifier.create(ReadmeExamples.popen()).verifyComplete();
    StepVerifier.create(ReadmeExamples.execute().reduce(String::concat)).expectNext("apple\npear\n").verifyComplete();
    StepVerifier.create(ReadmeExamples.resourceUsage()).expectNextCount(1).verifyComplete();
    assertThat(ReadmeExamples.workerPool()).containsExactly("1", "4", "9", "16", "25");
  }

  @Test
  void theTerminalSnippetRunsOnTheLinuxBackend() {
    org.junit.jupiter.api.Assumptions.assumeTrue(dev.subprocess.internal.Engine.backendName().equals("linux"),
        "runs on the linux backend");
    StepVerifier.create(ReadmeExamples.terminal()).expectNext("120x40").verifyComplete();
  }

  private static String normalize(String code) {
    return code.lines().map(String::strip).filter(line -> !line.isEmpty()).reduce("", (a, b) -> a + "\n" + b);
  }
}

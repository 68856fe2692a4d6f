package dev.subprocess.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.Command;
import dev.subprocess.Redirect;
import dev.subprocess.testing.RunTrue;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * An application that never enables observations loads nothing of this package, and, unless something else uses
 * it (context-propagation registers Micrometer's ThreadLocal accessor itself), nothing of Micrometer's Observation
 * API, although both are on its class path.
 */
class NotLoadedUnlessEnabledTest {

  /** Runs a process in a child JVM on {@code classPath} and returns the classes it loaded. */
  private static List<String> classesLoaded(String classPath) {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> output = Command.of(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xlog:class+load=info",
            "-cp", classPath, RunTrue.class.getName()))
        .stdin(Redirect.DEVNULL).captureOutput().check().run().block().stdoutText().lines().toList();
    assertThat(output).as("the program's output").contains("0");
    assertThat(output).as("the engine's classes were loaded")
        .anyMatch(line -> line.contains(" dev.subprocess.internal.Execution "))
        .anyMatch(line -> line.contains(" dev.subprocess.internal.ProcessObservers "));
    return output;
  }

  @Test
  void runningAProcessLoadsNothingOfTheIntegration() {
    assertThat(classesLoaded(System.getProperty("java.class.path")))
        .filteredOn(line -> line.contains(" dev.subprocess.micrometer.")).isEmpty();
  }

  @Test
  void withoutContextPropagationNothingOfMicrometerObservationIsLoadedEither() {
    String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> !entry.contains("context-propagation"))
        .collect(Collectors.joining(File.pathSeparator));
    assertThat(classesLoaded(classPath))
        .filteredOn(line -> line.contains(" io.micrometer.observation.") || line.contains(" dev.subprocess.micrometer."))
        .isEmpty();
  }
}

package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.RunTrueAndPrintThreads;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The first process of a fresh JVM makes the JVM load, spin and start only what that process needs: what each
 * costs is paid by every short-lived JVM that runs one command. Checked in a child JVM that runs {@code /bin/true},
 * from the classes it loads ({@code -Xlog:class+load}) and the library threads alive after the run.
 */
class FirstRunTest {
  private static List<String> output;

  @BeforeAll
  static void runTheFirstProcessOfAFreshJvm() {
    String java = ProcessHandle.current().info().command().orElseThrow();
    output = Command.of(List.of(java, "--enable-native-access=ALL-UNNAMED",
            "-Ddev.subprocess.launcher=" + Engine.backendName(), "-Xlog:class+load=info",
            "-cp", System.getProperty("java.class.path"), RunTrueAndPrintThreads.class.getName()))
        .stdin(Redirect.DEVNULL).captureOutput().check().run().block().stdoutText().lines().toList();
    assertThat(output).as("the program's output").contains("returned 0")
        .anyMatch(line -> line.contains(" dev.subprocess.internal.Execution "));
  }

  @Test
  void theLibrarysStringConcatenationsSpinNoClasses() {
    // Compiled to StringBuilder calls: an invokedynamic concatenation spins a hidden class on its first run.
    assertThat(output).filteredOn(line -> line.contains(" java.lang.String$$StringConcat")).isEmpty();
  }

  @Test
  void theLinuxBackendsFirstLaunchBindsTwoShapesOfDowncall() {
    assumeTrue(Engine.backendName().equals("linux"), "the jdk backend binds no C function");
    // One for the C library's functions, one for the system calls: each shape spins classes of its own.
    assertThat(output).filteredOn(line -> line.contains(" jdk.internal.foreign.abi.DowncallStub/"))
        .hasSizeLessThanOrEqualTo(2);
  }

  @Test
  void aRunToCompletionStartsNoCleanerThread() {
    assertThat(output).filteredOn(line -> line.startsWith("threads: ")).singleElement().asString()
        .doesNotContain("subprocess-cleaner");
  }
}

package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.CaptureLeftUnread;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class RunCaptureTest {

  @Test
  void capturesStdoutAndStderrSeparately() {
    CompletedProcess done = Command.shell("echo out; echo err >&2; exit 3").captureOutput().run().block();
    assertThat(done.returnCode()).isEqualTo(3);
    assertThat(done.stdoutText()).isEqualTo("out\n");
    assertThat(done.stderrText()).isEqualTo("err\n");
    assertThat(done.args()).isEqualTo(List.of("/bin/sh", "-c", "echo out; echo err >&2; exit 3"));
  }

  @Test
  void aLargeCaptureKeepsEveryByteInOrder() {
    // About 15 MB: past the size from which a capture keeps its bytes in blocks rather than one growing array.
    int lines = 2_000_000;
    CompletedProcess done = Command.of("seq", "1", String.valueOf(lines)).captureOutput().check().run().block();
    StringBuilder expected = new StringBuilder();
    for (int i = 1; i <= lines; i++) {
      expected.append(i).append('\n');
    }
    assertThat(done.stdout()).hasSize(expected.length());
    assertThat(new String(done.stdout(), StandardCharsets.US_ASCII)).isEqualTo(expected.toString());
  }

  @Test
  void aRunThatFailsLetsGoAtOnceOfTheLargeCaptureOfItsOtherStream() {
    String java = ProcessHandle.current().info().command().orElseThrow();
    CompletedProcess jvm = Command.of(List.of(java, "-XX:NativeMemoryTracking=summary",
            "--enable-native-access=ALL-UNNAMED", "-Ddev.subprocess.launcher=" + Engine.backendName(),
            "-cp", System.getProperty("java.class.path"), CaptureLeftUnread.class.getName()))
        .stdin(Redirect.DEVNULL).captureOutput().check().timeout(Duration.ofMinutes(2)).run().block();
    // The 3 MB of stderr were held outside the heap, until the garbage collector found the capture unreachable.
    assertThat(Long.parseLong(jvm.stdoutText().trim())).as("kilobytes still held outside the heap")
        .isLessThan(1000);
  }

  @Test
  void writesInputWhileReading() {
    StepVerifier.create(Command.of("cat").input("hello").captureOutput().run())
        .assertNext(done -> assertThat(new String(done.stdout(), StandardCharsets.UTF_8)).isEqualTo("hello"))
        .verifyComplete();
  }
}

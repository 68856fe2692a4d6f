package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
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
  void writesInputWhileReading() {
    StepVerifier.create(Command.of("cat").input("hello").captureOutput().run())
        .assertNext(done -> assertThat(new String(done.stdout(), StandardCharsets.UTF_8)).isEqualTo("hello"))
        .verifyComplete();
  }
}

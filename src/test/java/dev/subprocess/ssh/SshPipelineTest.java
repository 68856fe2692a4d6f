package dev.subprocess.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.Command;
import dev.subprocess.CompletedPipeline;
import dev.subprocess.Pipeline;
import dev.subprocess.PipelineException;
import dev.subprocess.PipelineException.FailedStage;
import dev.subprocess.testing.SshServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Pipelines joined on a real OpenSSH server report and take pipeline-wide settings as local ones do. */
class SshPipelineTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static SshHost host;

  @BeforeAll
  static void connect() {
    host = SshServer.get().host().build();
  }

  @AfterAll
  static void close() {
    host.close();
  }

  @Test
  void aFailingRemotePipelineNamesItsStagesAndHost() {
    StepVerifier.create(Pipeline.of(Command.of("printf", "x").on(host),
            Command.shell("cat >/dev/null; echo 'remote trouble' >&2; exit 4").on(host)).captureOutput().check().run())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(PipelineException.class, p -> {
          assertThat(p.returnCodes()).containsExactly(0, 4);
          assertThat(p.failed()).containsExactly(new FailedStage(1, 4));
          assertThat(p.getMessage()).startsWith("Pipeline failed: [printf, x] | ")
              .contains("stage 2 of 2", "returned non-zero exit status 4.", "remote trouble",
                  "working directory: " + host.name() + ":~");
        }))
        .verify(LIMIT);
    StepVerifier.create(Command.of("seq", "3").on(host).pipeTo(Command.shell("cat; exit 6").on(host)).lines())
        .expectNext("1", "2", "3")
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOfSatisfying(PipelineException.class,
            p -> assertThat(p.failed()).containsExactly(new FailedStage(1, 6))))
        .verify(LIMIT);
  }

  @Test
  void pipelineWideCwdAndEnvironmentReachRemoteStages() {
    CompletedPipeline done = Pipeline.of(Command.shell("pwd; echo $A").on(host),
            Command.shell("cat; echo $A").env("A", "own").on(host))
        .cwd(Path.of("/tmp")).env("A", "wide").captureOutput().run().block(LIMIT);
    assertThat(done.returnCodes()).containsExactly(0, 0);
    assertThat(done.stdoutText()).isEqualTo("/tmp\nwide\nown\n");
  }
}

package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.internal.Engine;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Each finished process reports the CPU time it used, on the linux backend; the jdk backend cannot tell. */
class ResourceUsageTest {
  /**
   * Burns CPU until the shell's own clock says 0.3 s ({@code utime + stime} of {@code /proc/$$/stat}, in ticks of
   * 10 ms), mostly in user mode: a thousand additions per look at the clock. The amount of work is fixed from the
   * child's own view, so a loaded machine makes it take longer, never cost less.
   */
  private static final String BUSY_LOOP = "while :; do"
      + " i=0; while [ $i -lt 1000 ]; do i=$((i + 1)); done;"
      + " read -r stat < /proc/$$/stat; set -- $stat;"
      + " [ $(( ${14} + ${15} )) -ge 30 ] && break;"
      + " done";

  private static boolean linux() {
    return Engine.backendName().equals("linux");
  }

  @Test
  void aBusyLoopReportsTheCpuTimeItBurnt() {
    assumeTrue(linux(), "runs on the linux backend");
    CompletedProcess done = Command.shell(BUSY_LOOP).run().block();
    assertThat(done.returnCode()).isZero();
    ResourceUsage usage = done.resourceUsage().orElseThrow();
    assertThat(usage.totalTime()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(usage.userTime()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
  }

  @Test
  void aSleepReportsAlmostNone() {
    assumeTrue(linux(), "runs on the linux backend");
    CompletedProcess done = Command.of("sleep", "0.3").run().block();
    assertThat(done.resourceUsage().orElseThrow().totalTime()).isLessThan(Duration.ofMillis(200));
  }

  @Test
  void theUsageIncludesTheDescendantsTheProcessWaitedFor() {
    assumeTrue(linux(), "runs on the linux backend");
    // The outer shell forks the inner one and waits for it (a command follows, so it cannot exec it instead).
    CompletedProcess done = Command.of("/bin/sh", "-c", "/bin/sh -c \"$0\"; exit $?", BUSY_LOOP).run().block();
    assertThat(done.resourceUsage().orElseThrow().totalTime()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void everyStageOfAPipelineReportsItsOwn() {
    assumeTrue(linux(), "runs on the linux backend");
    CompletedPipeline done = Command.shell(BUSY_LOOP + "; echo done")
        .pipeTo(Command.of("cat").stdout(Redirect.PIPE)).run().block();
    assertThat(done.stdoutText()).isEqualTo("done\n");
    assertThat(done.stages().get(0).resourceUsage().orElseThrow().totalTime())
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(done.stages().get(1).resourceUsage()).isPresent();
  }

  @Test
  void communicateReportsItToo() {
    assumeTrue(linux(), "runs on the linux backend");
    CompletedProcess done = Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE).start()
        .flatMap(p -> p.communicate("x".getBytes(java.nio.charset.StandardCharsets.UTF_8))).block();
    assertThat(done.stdoutText()).isEqualTo("x");
    assertThat(done.resourceUsage()).isPresent();
  }

  @Test
  void theJdkBackendReportsNone() {
    assumeTrue(!linux(), "runs on the jdk backend");
    assertThat(Command.of("true").run().block().resourceUsage()).isEmpty();
  }
}

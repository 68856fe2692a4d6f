package dev.subprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.subprocess.Redirect;
import dev.subprocess.Signals;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.LeakCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.util.context.ContextView;

/**
 * A child that was started but whose wiring into the engine fails is killed, reaped and has its descriptors
 * closed before the start fails with the wiring's error, alone or as a stage of a pipeline, and its observer is
 * told of the failure once. The wiring is made to fail with a time limit beyond what a timer holds: the public API
 * refuses such a limit, so only a spec built here reaches the engine with it, and the engine then throws while it
 * wires the started child.
 */
class LaunchCleanupTest {
  private static final Duration BEYOND_A_TIMER = Duration.ofSeconds(Long.MAX_VALUE);
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
  private Set<String> fdsBefore;
  private int liveBefore;

  @BeforeEach
  void warmUpAndObserve() {
    // The engine's own descriptors (the event loop, the watchdog's pipe) exist before the baseline is taken.
    assertThat(Engine.run(spec(null, "true")).block(WAIT).returnCode()).isZero();
    fdsBefore = ourFds();
    liveBefore = LiveProcesses.count();
    ProcessObservers.install(new ProcessObserver() {
      @Override
      public Probe starting(List<String> argv, ContextView context) {
        String name = String.join(" ", argv);
        return new Probe() {
          @Override
          public void started(long pid) {
            events.add("started " + name);
          }

          @Override
          public void failed(Throwable error) {
            events.add("failed " + name + ": " + error.getClass().getSimpleName());
          }

          @Override
          public void ended(int returnCode, Outcome outcome, long stdoutBytes, long stderrBytes, long stdinBytes) {
            events.add("ended " + name);
          }
        };
      }
    });
  }

  @AfterEach
  void stopObserving() {
    ProcessObservers.install(null);
  }

  @Test
  void aStartedChildWhoseWiringFailsIsKilledReapedAndClosed() {
    RunSpec spec = spec(BEYOND_A_TIMER, "sleep", "1000");

    assertThatThrownBy(() -> Engine.run(spec).block(WAIT)).isInstanceOf(ArithmeticException.class);

    awaitEverythingGone();
    assertThat(events).containsExactly("failed sleep 1000: ArithmeticException");
  }

  @Test
  void everyStageOfAPipelineIsKilledReapedAndClosedWhenTheWiringOfOneFails() {
    // The first stage is wired before the second fails; the third is started but never wired.
    List<RunSpec> stages = List.of(stage(null, 0, 3, "sleep", "1001"), stage(BEYOND_A_TIMER, 1, 3, "sleep", "1002"),
        stage(null, 2, 3, "sleep", "1003"));

    assertThatThrownBy(() -> Engine.runPipeline(stages).block(WAIT)).isInstanceOf(ArithmeticException.class);

    awaitEverythingGone();
    assertThat(events).containsExactlyInAnyOrder("failed sleep 1001: ArithmeticException",
        "failed sleep 1002: ArithmeticException", "failed sleep 1003: ArithmeticException");
  }

  /** Waits until no child of this JVM is left, zombies included, nor a pipe or pidfd, nor a live process. */
  private void awaitEverythingGone() {
    Await.until("every child killed and reaped: " + LeakCheck.children(), () -> LeakCheck.children().isEmpty());
    Await.until("the children's descriptors closed", () -> ourFds().equals(fdsBefore));
    Await.until("no process counted live", () -> LiveProcesses.count() == liveBefore);
  }

  /** Returns the pipes and pidfds this JVM holds open, by number and target. */
  private static Set<String> ourFds() {
    return LeakCheck.openFds().entrySet().stream()
        .filter(e -> e.getValue().startsWith("pipe:") || e.getValue().equals("anon_inode:[pidfd]"))
        .map(Map.Entry::toString)
        .collect(Collectors.toSet());
  }

  /** A run of {@code argv} with every stream piped and the time limit given (not checked, unlike the API's). */
  private static RunSpec spec(Duration timeout, String... argv) {
    return (timeout == null ? config(argv) : config(argv).withTimeout(timeout))
        .withStdin(Redirect.PIPE).withCaptureOutput().runSpec(false);
  }

  /**
   * Stage {@code index} of {@code count}, its streams as a pipeline has them: stdin from the previous stage (the
   * first's on /dev/null), stdout to the next (the last's captured), stderr piped.
   */
  private static RunSpec stage(Duration timeout, int index, int count, String... argv) {
    CommandConfig config = timeout == null ? config(argv) : config(argv).withTimeout(timeout);
    config = config.withStdin(index == 0 ? Redirect.DEVNULL : Redirect.PIPE).withStdout(Redirect.PIPE)
        .withStderr(Redirect.PIPE);
    return (index == count - 1 ? config.withCaptureOutput() : config).runSpec(false);
  }

  private static CommandConfig config(String... argv) {
    return CommandConfig.of(List.of(argv), Signals.SIGTERM, Duration.ofSeconds(5), Duration.ofSeconds(5), 1 << 20,
        1 << 16, 1 << 20);
  }
}

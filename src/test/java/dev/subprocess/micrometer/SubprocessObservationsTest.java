package dev.subprocess.micrometer;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.Command;
import dev.subprocess.ProcessStartException;
import dev.subprocess.Redirect;
import dev.subprocess.TimeoutExpiredException;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.LeakCheck;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/** Every process becomes one Micrometer observation, with its outcome, return code and bytes, in real runs. */
class SubprocessObservationsTest {
  private final TestObservationRegistry registry = TestObservationRegistry.create();
  private final List<ProcessObservationContext> stopped = new CopyOnWriteArrayList<>();

  @BeforeEach
  void enable() {
    registry.observationConfig().observationHandler(new ObservationHandler<ProcessObservationContext>() {
      @Override
      public boolean supportsContext(Observation.Context context) {
        return context instanceof ProcessObservationContext;
      }

      @Override
      public void onStop(ProcessObservationContext context) {
        stopped.add(context);
      }
    });
    SubprocessObservations.enable(registry);
  }

  @AfterEach
  void disable() {
    SubprocessObservations.disable();
  }

  private void awaitStopped(int count) {
    Await.until(count + " observation(s) stopped", () -> stopped.size() >= count);
  }

  @Test
  void aSuccessfulRunIsObservedWithItsCommandOutcomeExitCodeAndBytes() {
    StepVerifier.create(Command.of("sh", "-c", "cat >/dev/null; printf hello; printf err >&2")
            .input("abcd").captureOutput().run())
        .assertNext(done -> assertThat(done.stdoutText()).isEqualTo("hello"))
        .verifyComplete();
    awaitStopped(1);
    assertThat(registry).hasNumberOfObservationsWithNameEqualTo("subprocess", 1)
        .hasObservationWithNameEqualTo("subprocess").that()
        .hasContextualNameEqualTo("subprocess sh")
        .hasBeenStarted()
        .hasBeenStopped()
        .doesNotHaveError()
        .hasLowCardinalityKeyValue("command", "sh")
        .hasLowCardinalityKeyValue("outcome", "OK")
        .hasLowCardinalityKeyValue("exit.code", "0")
        .hasHighCardinalityKeyValue("stdout.bytes", "5")
        .hasHighCardinalityKeyValue("stderr.bytes", "3")
        .hasHighCardinalityKeyValue("stdin.bytes", "4")
        .doesNotHaveParentObservation();
    ProcessObservationContext context = stopped.get(0);
    assertThat(context.getPid()).isPositive();
    assertThat(context.getArgs()).containsExactly("sh", "-c", "cat >/dev/null; printf hello; printf err >&2");
  }

  @Test
  void aNonZeroExitIsAFailureWithItsCode() {
    StepVerifier.create(Command.shell("exit 3").run())
        .assertNext(done -> assertThat(done.returnCode()).isEqualTo(3))
        .verifyComplete();
    awaitStopped(1);
    assertThat(registry).hasObservationWithNameEqualTo("subprocess").that()
        .hasLowCardinalityKeyValue("command", "sh")
        .hasLowCardinalityKeyValue("outcome", "FAILED")
        .hasLowCardinalityKeyValue("exit.code", "3");
  }

  @Test
  void aTimeoutIsObservedAsTimedOut() {
    StepVerifier.create(Command.of("sleep", "60").timeout(Duration.ofMillis(100)).run())
        .expectError(TimeoutExpiredException.class)
        .verify(Duration.ofSeconds(30));
    awaitStopped(1);
    assertThat(registry).hasObservationWithNameEqualTo("subprocess").that()
        .hasLowCardinalityKeyValue("command", "sleep")
        .hasLowCardinalityKeyValue("outcome", "TIMED_OUT")
        .hasLowCardinalityKeyValue("exit.code", "-15");
  }

  @Test
  void aCancelledSubscriptionIsObservedAsCancelled() {
    Disposable subscription = Command.of("sleep", "60").output().subscribe();
    Await.until("sleep has started", () -> !LeakCheck.children().isEmpty());
    subscription.dispose();
    awaitStopped(1);
    assertThat(registry).hasObservationWithNameEqualTo("subprocess").that()
        .hasLowCardinalityKeyValue("command", "sleep")
        .hasLowCardinalityKeyValue("outcome", "CANCELLED")
        .hasLowCardinalityKeyValue("exit.code", "-15");
  }

  @Test
  void aStartCancelledWhileItWaitsForAFifoIsStopped(@TempDir Path dir) {
    Path fifo = dir.resolve("fifo");
    Command.of("mkfifo", fifo.toString()).check().run().block(Duration.ofSeconds(30));
    awaitStopped(1);
    stopped.clear();
    registry.clear();
    Disposable subscription = Command.of("echo", "never read").stdout(Redirect.to(fifo)).run().subscribe();
    Await.until("the start waits for a reader of the FIFO", () -> Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.isAlive() && t.getName().startsWith("subprocess-fifo-")));
    subscription.dispose();
    Await.until("the observation of the cancelled start stopped", () -> stopped.stream()
        .anyMatch(context -> context.getArgs().get(0).equals("echo")));
    assertThat(registry).hasObservationWithNameEqualTo("subprocess").that()
        .hasLowCardinalityKeyValue("command", "echo")
        .hasLowCardinalityKeyValue("exit.code", "none")
        .hasBeenStopped();
  }

  @Test
  void aProcessThatCannotStartIsAFailureWithTheStartError() {
    StepVerifier.create(Command.of("/nonexistent/program").run())
        .expectError(ProcessStartException.class)
        .verify(Duration.ofSeconds(30));
    awaitStopped(1);
    assertThat(registry).hasObservationWithNameEqualTo("subprocess").that()
        .hasLowCardinalityKeyValue("command", "program")
        .hasLowCardinalityKeyValue("outcome", "FAILED")
        .hasLowCardinalityKeyValue("exit.code", "none")
        .hasHighCardinalityKeyValue("pid", "-1")
        .assertThatError().isInstanceOf(ProcessStartException.class);
  }

  @Test
  void eachStageOfAPipelineIsObserved() {
    StepVerifier.create(Command.of("printf", "b\\na\\n").pipeTo(Command.of("sort")).lines())
        .expectNext("a", "b")
        .verifyComplete();
    awaitStopped(2);
    assertThat(registry).hasNumberOfObservationsWithNameEqualTo("subprocess", 2)
        .hasAnObservationWithAKeyValue("command", "printf")
        .hasAnObservationWithAKeyValue("command", "sort")
        .forAllObservationsWithNameEqualTo("subprocess", process -> process.hasLowCardinalityKeyValue("outcome", "OK"));
  }

  @Test
  void theObservationInTheSubscribersContextIsTheParent() {
    Observation request = Observation.start("http.server.requests", registry);
    StepVerifier.create(Command.of("true").run()
            .contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, request)))
        .expectNextCount(1)
        .verifyComplete();
    awaitStopped(1);
    request.stop();
    assertThat(registry).hasObservationWithNameEqualTo("subprocess").that()
        .hasParentObservationEqualTo(request);
  }

  @Test
  void theCurrentObservationOfTheSubscribingThreadIsTheParentOtherwise() {
    Observation job = Observation.start("nightly.job", registry);
    try (Observation.Scope scope = job.openScope()) {
      StepVerifier.create(Command.of("true").run()).expectNextCount(1).verifyComplete();
    }
    awaitStopped(1);
    job.stop();
    assertThat(registry).hasObservationWithNameEqualTo("subprocess").that()
        .hasParentObservationEqualTo(job);
  }

  @Test
  void aConventionChoosesTheNameAndKeyValues() {
    SubprocessObservations.enable(registry, new DefaultProcessObservationConvention() {
      @Override
      public String getName() {
        return "builds.process";
      }

      @Override
      public KeyValues getLowCardinalityKeyValues(ProcessObservationContext context) {
        return super.getLowCardinalityKeyValues(context).and("team", "builds");
      }
    });
    StepVerifier.create(Command.of("true").run()).expectNextCount(1).verifyComplete();
    awaitStopped(1);
    assertThat(registry).hasObservationWithNameEqualTo("builds.process").that()
        .hasLowCardinalityKeyValue("team", "builds")
        .hasLowCardinalityKeyValue("outcome", "OK");
  }

  @Test
  void nothingIsObservedOnceDisabled() {
    SubprocessObservations.disable();
    StepVerifier.create(Command.of("true").run()).expectNextCount(1).verifyComplete();
    assertThat(registry).doesNotHaveAnyObservation();
  }
}

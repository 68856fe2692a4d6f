package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.testing.FatalErrorScenario;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/**
 * A fatal error on one of the library's threads (a user operator's {@code NoClassDefFoundError}, an
 * {@code OutOfMemoryError} in the data path) fails the subscriber, stops and reaps the process, and leaves the
 * library serving other processes.
 */
class FatalErrorTest {
  private static final Duration BOUND = Duration.ofSeconds(30);

  static Stream<Error> fatalErrors() {
    return Stream.of(new NoClassDefFoundError("com/example/Missing"), new StackOverflowError("deep"),
        new OutOfMemoryError("simulated"));
  }

  @ParameterizedTest
  @MethodSource("fatalErrors")
  void aFatalErrorInAUserOperatorFailsTheStreamAndStopsTheProcess(Error fatal) {
    StepVerifier.create(Command.of("yes").output().map(b -> {
          throw fatal;
        }).subscribeOn(Schedulers.boundedElastic()))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(fatal))
        .verify(BOUND);
    assertThat(Command.of("echo", "still served").captureOutput().run().block(BOUND).stdoutText())
        .isEqualTo("still served\n");
  }

  @ParameterizedTest
  @MethodSource("fatalErrors")
  void aFatalErrorInAStartedProcessSubscriberFailsItAndStopsTheProcess(Error fatal) {
    RunningProcess yes = Command.of("yes").stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).start().block(BOUND);
    StepVerifier.create(yes.stdout().map(b -> {
          throw fatal;
        }).subscribeOn(Schedulers.boundedElastic()))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(fatal))
        .verify(BOUND);
    assertThat(yes.exitCode().block(BOUND)).isNotZero();
  }

  @ParameterizedTest
  @MethodSource("fatalErrors")
  void aFatalErrorInASubscriberOfAHeldStreamFailsItAndStopsTheProcess(Error fatal) {
    // stdout is held from poll() on; cat keeps running on its open stdin until it is stopped.
    RunningProcess p = Command.shell("echo held; exec cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE)
        .stderr(Redirect.DEVNULL).start().block(BOUND);
    assertThat(p.poll()).isEmpty();
    StepVerifier.create(p.stdout().map(b -> {
          throw fatal;
        }).subscribeOn(Schedulers.boundedElastic()))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(fatal))
        .verify(BOUND);
    assertThat(p.exitCode().block(BOUND)).isNotZero();
  }

  @ParameterizedTest
  @MethodSource("fatalErrors")
  void aFatalErrorInTheInputFailsTheRunAndStopsTheProcess(Error fatal) {
    Flux<ByteBuffer> input = Flux.range(0, 1000).map(i -> {
      if (i == 3) {
        throw fatal;
      }
      return ByteBuffer.wrap(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
    });
    StepVerifier.create(Command.of("cat").input(input).captureOutput().run())
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(fatal))
        .verify(BOUND);
  }

  @ParameterizedTest
  @MethodSource("fatalErrors")
  void aFatalErrorInAnOperatorOnTheResultOfARunFailsIt(Error fatal) {
    StepVerifier.create(Command.of("echo", "done").captureOutput().run().map(done -> {
          throw fatal;
        }).subscribeOn(Schedulers.boundedElastic()))
        .expectErrorSatisfies(e -> assertThat(e).isSameAs(fatal))
        .verify(BOUND);
  }

  static Stream<Arguments> outOfMemory() {
    return Stream.of(
        Arguments.of("long-line", "-Xmx256m", OutputLimitException.class.getName()),
        Arguments.of("big-capture", "-Xmx128m", OutOfMemoryError.class.getName()));
  }

  @ParameterizedTest
  @MethodSource("outOfMemory")
  void outputThatCannotFitTheHeapFailsTheSubscriberAndReapsTheProcess(String scenario, String heap, String error) {
    String java = ProcessHandle.current().info().command().orElseThrow();
    List<String> argv = new ArrayList<>(List.of(java, heap, "--enable-native-access=ALL-UNNAMED"));
    String backend = System.getProperty("dev.subprocess.launcher");
    if (backend != null) {
      argv.add("-Ddev.subprocess.launcher=" + backend);
    }
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), FatalErrorScenario.class.getName(), scenario));
    CompletedProcess jvm = Command.of(argv).stdin(Redirect.DEVNULL).captureOutput()
        .timeout(Duration.ofSeconds(180)).run().block();
    assertThat(jvm.stdoutText())
        .as("the child JVM's report; its stderr:%n%s", tail(jvm.stderrText()))
        .contains("signal=onError " + error)
        .contains("children=0")
        .contains("pipes=0")
        .contains("after=served");
  }

  private static String tail(String text) {
    return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
  }
}

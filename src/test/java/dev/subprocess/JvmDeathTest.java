package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.ProcStat;
import dev.subprocess.testing.StartOnParallelAndHalt;
import dev.subprocess.testing.StartTreesAndWait;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;

/** Children and grandchildren die with the JVM, however it dies, unless the application says otherwise. */
class JvmDeathTest {

  @ParameterizedTest(name = "signal {0}")
  @ValueSource(ints = {Signals.SIGKILL, Signals.SIGTERM})
  void theTreesOfAKilledJvmDieWithIt(int signal) {
    RunningProcess jvm = jvmWithTrees();
    List<Long> tree = treesOf(jvm);
    assertThat(tree).as("the trees run").noneMatch(ProcStat::ended);

    jvm.sendSignal(signal);
    assertThat(jvm.exitCode().block(Duration.ofSeconds(60))).isNotZero();

    for (long pid : tree) {
      Await.until("process " + pid + " of the trees " + tree + " has ended", () -> ProcStat.ended(pid));
    }
  }

  @Test
  void theTreesOfAKilledJvmLiveOnWhenTheStopIsSwitchedOff() {
    RunningProcess jvm = jvmWithTrees("-Ddev.subprocess.stopChildrenOnExit=false");
    List<Long> tree = treesOf(jvm);
    try {
      jvm.kill();
      jvm.exitCode().block(Duration.ofSeconds(60));
      assertThat(tree).noneMatch(ProcStat::ended);
    } finally {
      tree.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
  }

  @Test
  void aChildStartedOnAParallelThreadDiesWithAJvmHaltedRightAfterItsStart() {
    RunningProcess jvm = jvm(StartOnParallelAndHalt.class);
    List<Long> sleeps = Arrays.stream(firstLine(jvm).trim().split(" ")).map(Long::parseLong).toList();
    assertThat(jvm.exitCode().block(Duration.ofSeconds(60))).isEqualTo(3);
    try {
      for (long pid : sleeps) {
        Await.until("process " + pid + " of " + sleeps + " (the last started just before the JVM halted) has ended",
            () -> ProcStat.ended(pid));
      }
    } finally {
      sleeps.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
  }

  /** Starts a JVM that starts two trees of processes ({@link StartTreesAndWait}) and waits to be killed. */
  private static RunningProcess jvmWithTrees(String... properties) {
    return jvm(StartTreesAndWait.class, properties);
  }

  /** Starts a JVM on this test's class path that runs {@code main}. */
  private static RunningProcess jvm(Class<?> main, String... properties) {
    List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
        "--enable-native-access=ALL-UNNAMED", "-Ddev.subprocess.launcher=" + Engine.backendName()));
    argv.addAll(List.of(properties));
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    return Command.of(argv).stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).start().block();
  }

  /** Reads the pids of the trees that the JVM prints on its first line. */
  private static List<Long> treesOf(RunningProcess jvm) {
    String line = firstLine(jvm);
    List<Long> tree = Arrays.stream(line.trim().split(" ")).map(Long::parseLong).toList();
    assertThat(tree).as("two shells with two sleeps each: %s", line).hasSize(6);
    return tree;
  }

  /** Reads the first line the JVM prints. */
  private static String firstLine(RunningProcess jvm) {
    return Flux.from(jvm.stdout())
        .map(chunk -> StandardCharsets.UTF_8.decode(chunk).toString())
        .scan(String::concat)
        .filter(text -> text.contains("\n"))
        .next()
        .block(Duration.ofSeconds(60));
  }
}

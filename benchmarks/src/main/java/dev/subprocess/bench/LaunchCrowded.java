package dev.subprocess.bench;

import static dev.subprocess.bench.Bench.LINUX;
import static dev.subprocess.bench.Bench.NATIVE;
import static dev.subprocess.bench.Bench.QUIET;

import dev.subprocess.Command;
import dev.subprocess.CompletedProcess;
import dev.subprocess.RunningProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Launch latency while other children are alive: {@code live} {@code sleep 3600} processes, started the same way
 * (stdout and stderr piped, so the JVM holds three descriptors each), stay alive during the measurement, which
 * launches {@code /bin/true} as {@link Launch} does. Compare {@code live=1000} with {@code live=0} of the same
 * run: the growth is what each live child costs a launch.
 */
public class LaunchCrowded {
  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(value = 1, jvmArgsAppend = {NATIVE, QUIET, LINUX})
  public static class OursLinux {
    @Param({"0", "1000"})
    public int live;

    private final List<RunningProcess> sleepers = new ArrayList<>();
    private final Command inherit = Command.of(Launch.TRUE);
    private final Command pipes = Command.of(Launch.TRUE).captureOutput();

    @Setup
    public void startSleepers() {
      Bench.requireBackend("linux");
      Command sleep = Command.of("sleep", "3600");
      for (int i = 0; i < live; i++) {
        sleepers.add(sleep.start().block());
      }
    }

    @TearDown
    public void stopSleepers() {
      sleepers.forEach(RunningProcess::kill);
      sleepers.forEach(p -> p.exitCode().block());
      sleepers.clear();
    }

    @Benchmark
    public CompletedProcess run_inherit() {
      return inherit.run().block();
    }

    @Benchmark
    public CompletedProcess run_pipes() {
      return pipes.run().block();
    }
  }

  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(value = 1, jvmArgsAppend = {NATIVE, QUIET})
  public static class ProcessBuilderLaunch {
    @Param({"0", "1000"})
    public int live;

    private final List<Process> sleepers = new ArrayList<>();

    @Setup
    public void startSleepers() throws Exception {
      for (int i = 0; i < live; i++) {
        sleepers.add(new ProcessBuilder("sleep", "3600").start());
      }
    }

    @TearDown
    public void stopSleepers() throws Exception {
      for (Process p : sleepers) {
        p.destroyForcibly().waitFor();
      }
      sleepers.clear();
    }

    @Benchmark
    public int processBuilder_inherit() throws Exception {
      return new ProcessBuilder(Launch.TRUE).inheritIO().start().waitFor();
    }
  }
}

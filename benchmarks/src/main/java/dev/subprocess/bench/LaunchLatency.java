package dev.subprocess.bench;

import dev.subprocess.Command;
import dev.subprocess.RunningProcess;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Launch latency as a distribution, for a busy machine where JMH's averages drown in scheduling noise: times each
 * of N launches of {@code /bin/true} (after a warm-up of {@code -Dbench.warmup} launches, N/4 by default) and
 * prints the 10th percentile and the median in microseconds. A fresh JVM is still compiling its launch path for
 * the first several thousand launches (the top tier arrives 10 to 16 seconds in): a warm-up of 10,000 measures
 * the steady state, the default the first seconds of a program. The 10th percentile is the cost of a launch that was not preempted; compare it only with figures
 * of the same minutes ({@code floor/launch_latency.c} prints the same for C).
 *
 * <p>usage: {@code java --enable-native-access=ALL-UNNAMED -Ddev.subprocess.launcher=linux -cp benchmarks.jar
 * dev.subprocess.bench.LaunchLatency inherit|pipes|unguarded-inherit|unguarded-pipes|processBuilder [N] [LIVE]};
 * the {@code unguarded} variants also need {@code -Ddev.subprocess.stopChildrenOnExit=false}. With LIVE, that
 * many {@code sleep 3600} children (started the same way, with ProcessBuilder for {@code processBuilder}, their
 * three streams piped) stay alive during the measurement: compare with LIVE 0 for what live children cost.
 */
public final class LaunchLatency {
  private LaunchLatency() {}

  public static void main(String[] args) throws Exception {
    String variant = args.length > 0 ? args[0] : "inherit";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    int live = args.length > 2 ? Integer.parseInt(args[2]) : 0;
    Command command = Command.of(Launch.TRUE);
    if (variant.startsWith("unguarded")) {
      command = command.inheritProcessGroup();
    }
    if (variant.endsWith("pipes")) {
      command = command.captureOutput();
    }
    Command chosen = command;
    boolean pb = variant.equals("processBuilder");
    List<RunningProcess> sleepers = new ArrayList<>();
    List<Process> pbSleepers = new ArrayList<>();
    for (int i = 0; i < live; i++) {
      if (pb) {
        pbSleepers.add(new ProcessBuilder("sleep", "3600").start());
      } else {
        sleepers.add(Command.of("sleep", "3600").start().block());
      }
    }
    long[] micros = new long[n];
    int warmup = Integer.getInteger("bench.warmup", n / 4);
    for (int i = -warmup; i < n; i++) {
      long t0 = System.nanoTime();
      if (pb) {
        new ProcessBuilder(Launch.TRUE).inheritIO().start().waitFor();
      } else {
        chosen.run().block();
      }
      if (i >= 0) {
        micros[i] = (System.nanoTime() - t0) / 1000;
      }
    }
    sleepers.forEach(RunningProcess::kill);
    sleepers.forEach(p -> p.exitCode().block());
    for (Process p : pbSleepers) {
      p.destroyForcibly().waitFor();
    }
    Arrays.sort(micros);
    System.out.printf("%s live %d p10 %d p50 %d%n", variant, live, micros[n / 10], micros[n / 2]);
    System.exit(0);
  }
}

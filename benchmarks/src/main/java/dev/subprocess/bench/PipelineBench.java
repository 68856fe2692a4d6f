package dev.subprocess.bench;

import static dev.subprocess.bench.Bench.JDK;
import static dev.subprocess.bench.Bench.LINUX;
import static dev.subprocess.bench.Bench.NATIVE;
import static dev.subprocess.bench.Bench.QUIET;

import dev.subprocess.Command;
import dev.subprocess.Pipeline;
import dev.subprocess.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Pipeline: {@code dd if=/dev/zero bs=1M count=256 | wc -c}, joined by the library (an OS pipe between the
 * stages, nothing through the JVM) against the same line run by {@code sh -c} through the library, and against
 * {@code ProcessBuilder.startPipeline}. Seconds per pipeline; wc's answer is checked.
 */
public class PipelineBench {
  static final String[] DD = {"dd", "if=/dev/zero", "bs=1M", "count=256", "status=none"};
  static final String SHELL = "dd if=/dev/zero bs=1M count=256 status=none | wc -c";

  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public abstract static class Ours {
    final Pipeline joined = Command.of(List.of(DD)).pipeTo(Command.of("wc", "-c").stdout(Redirect.PIPE));
    final Command shell = Command.shell(SHELL).stdout(Redirect.PIPE);

    @Setup
    public void checkBackend() {
      Bench.requireBackend(this);
    }

    /** {@code Command.of(dd...).pipeTo(Command.of("wc", "-c")).run()}. */
    @Benchmark
    public long pipeTo() {
      return Bench.checkWc(joined.run().block().stdoutText());
    }

    /** {@code Command.shell("dd ... | wc -c").run()}: the shell joins the stages. */
    @Benchmark
    public long shell() {
      return Bench.checkWc(shell.run().block().stdoutText());
    }
  }

  @Fork(value = 1, jvmArgsAppend = {NATIVE, QUIET, LINUX})
  public static class OursLinux extends Ours {}

  @Fork(value = 1, jvmArgsAppend = {NATIVE, QUIET, JDK})
  public static class OursJdk extends Ours {}

  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(value = 1, jvmArgsAppend = {NATIVE, QUIET})
  public static class Others {
    /** {@code ProcessBuilder.startPipeline(List.of(dd, wc))}, wc's stdout read. */
    @Benchmark
    public long processBuilder() throws Exception {
      List<Process> ps = ProcessBuilder.startPipeline(List.of(
          new ProcessBuilder(DD).redirectError(ProcessBuilder.Redirect.INHERIT),
          new ProcessBuilder("wc", "-c").redirectError(ProcessBuilder.Redirect.INHERIT)));
      Process last = ps.get(1);
      String answer = new String(last.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      for (Process p : ps) {
        Bench.checkExit(p.waitFor());
      }
      return Bench.checkWc(answer);
    }

    /** ProcessBuilder running {@code sh -c "dd ... | wc -c"}. */
    @Benchmark
    public long processBuilder_shell() throws Exception {
      Process p = new ProcessBuilder("/bin/sh", "-c", SHELL).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      Bench.checkExit(p.waitFor());
      return Bench.checkWc(answer);
    }
  }
}

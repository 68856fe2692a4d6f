package dev.subprocess.bench;

import static dev.subprocess.bench.Bench.JDK;
import static dev.subprocess.bench.Bench.LINUX;
import static dev.subprocess.bench.Bench.NATIVE;
import static dev.subprocess.bench.Bench.QUIET;

import com.zaxxer.nuprocess.NuAbstractProcessHandler;
import com.zaxxer.nuprocess.NuProcessBuilder;
import dev.subprocess.Command;
import dev.subprocess.CompletedProcess;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.PumpStreamHandler;
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
import org.zeroturnaround.exec.ProcessExecutor;

/**
 * Launch latency: start {@code /bin/true}, wait for its exit, release everything. Average time per launch for
 * one caller; run.sh runs it with 1, 4 and 16 benchmark threads ({@code -t}), each thread a concurrent caller.
 *
 * <p>Method names end with the stdio they use: {@code inherit} (no pipe at all) or {@code pipes} (stdout and
 * stderr piped and read to the end, which NuProcess, zt-exec and commons-exec always do).
 */
public class Launch {
  static final String TRUE = "/bin/true";

  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public abstract static class Ours {
    Command inherit;
    Command pipes;

    /** Returns the command launched: {@code /bin/true} with the default configuration. */
    Command command() {
      return Command.of(TRUE);
    }

    @Setup
    public void checkBackend() {
      Bench.requireBackend(this);
      inherit = command();
      pipes = command().captureOutput();
    }

    /** {@code Command.of("/bin/true").run().block()}: stdio inherited, no pipe. */
    @Benchmark
    public CompletedProcess run_inherit() {
      return inherit.run().block();
    }

    /** {@code .captureOutput().run().block()}: stdout and stderr piped and captured. */
    @Benchmark
    public CompletedProcess run_pipes() {
      return pipes.run().block();
    }
  }

  @Fork(value = 1, jvmArgsAppend = {NATIVE, QUIET, LINUX})
  public static class OursLinux extends Ours {}

  /**
   * The linux backend without what stops a child's descendants and stops children when the JVM dies: the child
   * stays in the JVM's process group and no watchdog process is told of it. Compare with {@link OursLinux} in the
   * same run for the cost of both.
   */
  @Fork(value = 1, jvmArgsAppend = {NATIVE, QUIET, LINUX, "-Ddev.subprocess.stopChildrenOnExit=false"})
  public static class OursLinuxUnguarded extends Ours {
    @Override
    Command command() {
      return Command.of(TRUE).inheritProcessGroup();
    }
  }

  @Fork(value = 1, jvmArgsAppend = {NATIVE, QUIET, JDK})
  public static class OursJdk extends Ours {}

  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(value = 1, jvmArgsAppend = {NATIVE, QUIET})
  public static class Others {
    /** ProcessBuilder with inherited stdio, then {@code waitFor()}. */
    @Benchmark
    public int processBuilder_inherit() throws Exception {
      return new ProcessBuilder(TRUE).inheritIO().start().waitFor();
    }

    /** ProcessBuilder with its default pipes: stdout and stderr read to the end, all three closed. */
    @Benchmark
    public int processBuilder_pipes() throws Exception {
      Process p = new ProcessBuilder(TRUE).start();
      p.getOutputStream().close();
      Bench.drain(p.getInputStream());
      Bench.drain(p.getErrorStream());
      return p.waitFor();
    }

    /** NuProcess: always pipes all three streams; the handler ignores the (empty) output. */
    @Benchmark
    public int nuprocess_pipes() throws Exception {
      NuProcessBuilder b = new NuProcessBuilder(List.of(TRUE));
      b.setProcessListener(new NuAbstractProcessHandler() {});
      return b.start().waitFor(0, TimeUnit.SECONDS);
    }

    /** zt-exec: {@code new ProcessExecutor().command(...).readOutput(true).execute()}. */
    @Benchmark
    public int ztexec_pipes() throws Exception {
      return new ProcessExecutor().command(TRUE).readOutput(true).execute().getExitValue();
    }

    /** commons-exec: DefaultExecutor with a PumpStreamHandler into a byte array. */
    @Benchmark
    public int commonsexec_pipes() throws Exception {
      DefaultExecutor e = DefaultExecutor.builder()
          .setExecuteStreamHandler(new PumpStreamHandler(new ByteArrayOutputStream())).get();
      return e.execute(new CommandLine(TRUE));
    }
  }
}

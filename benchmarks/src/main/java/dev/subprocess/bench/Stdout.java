package dev.subprocess.bench;

import static dev.subprocess.bench.Bench.BYTES;
import static dev.subprocess.bench.Bench.JDK;
import static dev.subprocess.bench.Bench.LINUX;
import static dev.subprocess.bench.Bench.NATIVE;
import static dev.subprocess.bench.Bench.QUIET;

import com.zaxxer.nuprocess.NuAbstractProcessHandler;
import com.zaxxer.nuprocess.NuProcessBuilder;
import dev.subprocess.Command;
import java.nio.ByteBuffer;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.zeroturnaround.exec.ProcessExecutor;

/**
 * Stdout throughput: 256 MiB from one of two producers, consumed as it arrives and counted, never kept:
 * {@code head -c 268435456 /dev/zero} (4 KiB writes) and {@code dd if=/dev/zero bs=1M count=256} (1 MiB
 * writes), the {@code producer} parameter. Seconds per run (spawn to reap); run.sh turns it into MB/s. Every
 * method checks the byte count.
 */
public class Stdout {
  static final String[] HEAD = {"head", "-c", Long.toString(BYTES), "/dev/zero"};
  static final String[] DD = {"dd", "if=/dev/zero", "bs=1M", "count=" + (BYTES >> 20), "status=none"};

  /** Returns the argv of {@code producer}: {@code head} or {@code dd}. */
  static String[] producer(String producer) {
    return producer.equals("dd") ? DD : HEAD;
  }

  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public abstract static class Ours {
    @Param({"head", "dd"})
    public String producer;

    Command head;
    Command head1m;

    @Setup
    public void checkBackend() {
      Bench.requireBackend(this);
      head = Command.of(List.of(producer(producer)));
      head1m = head.pipeSize(1 << 20);
    }

    /** {@code output()} with the kernel's default pipe (64 KiB), summing {@code ByteBuffer.remaining()}. */
    @Benchmark
    public long output_defaultPipe() {
      return Bench.check(head.output().reduce(0L, (n, b) -> n + b.remaining()).block());
    }

    /** The same with {@code .pipeSize(1 << 20)}. */
    @Benchmark
    public long output_pipe1m() {
      return Bench.check(head1m.output().reduce(0L, (n, b) -> n + b.remaining()).block());
    }

    /** {@code output(read)}, each chunk lent to {@code read}, which returns its size; the default pipe. */
    @Benchmark
    public long outputLent_defaultPipe() {
      return Bench.check(head.output(b -> (long) b.remaining()).reduce(0L, Long::sum).block());
    }

    /** The same with {@code .pipeSize(1 << 20)}. */
    @Benchmark
    public long outputLent_pipe1m() {
      return Bench.check(head1m.output(b -> (long) b.remaining()).reduce(0L, Long::sum).block());
    }
  }

  @Fork(value = 1, jvmArgsAppend = {NATIVE, QUIET, LINUX})
  public static class OursLinux extends Ours {}

  @Fork(value = 1, jvmArgsAppend = {NATIVE, QUIET, JDK})
  public static class OursJdk extends Ours {}

  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(value = 1, jvmArgsAppend = {NATIVE, QUIET})
  public static class Others {
    @Param({"head", "dd"})
    public String producer;

    String[] argv;

    @Setup
    public void argv() {
      argv = producer(producer);
    }

    /** ProcessBuilder: a plain {@code InputStream.read(byte[65536])} loop; stderr discarded. */
    @Benchmark
    public long processBuilder() throws Exception {
      return processBuilder(Bench.CHUNK);
    }

    /** The same with {@code read(byte[1 << 20])}. */
    @Benchmark
    public long processBuilder_buffer1m() throws Exception {
      return processBuilder(1 << 20);
    }

    private long processBuilder(int buffer) throws Exception {
      Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      p.getOutputStream().close();
      long n = Bench.drain(p.getInputStream(), buffer);
      Bench.checkExit(p.waitFor());
      return Bench.check(n);
    }

    /** NuProcess: {@code onStdout} counts each buffer and consumes it. */
    @Benchmark
    public long nuprocess() throws Exception {
      long[] count = new long[1];
      NuProcessBuilder b = new NuProcessBuilder(List.of(argv));
      b.setProcessListener(new NuAbstractProcessHandler() {
        @Override
        public void onStdout(ByteBuffer buffer, boolean closed) {
          count[0] += buffer.remaining();
          buffer.position(buffer.limit());
        }
      });
      Bench.checkExit(b.start().waitFor(0, TimeUnit.SECONDS));
      return Bench.check(count[0]);
    }

    /** zt-exec: {@code redirectOutput} into a counting OutputStream. */
    @Benchmark
    public long ztexec() throws Exception {
      Bench.CountingOutputStream out = new Bench.CountingOutputStream();
      Bench.checkExit(new ProcessExecutor().command(argv).redirectOutput(out).execute().getExitValue());
      return Bench.check(out.count);
    }

    /** commons-exec: a PumpStreamHandler into a counting OutputStream. */
    @Benchmark
    public long commonsexec() throws Exception {
      Bench.CountingOutputStream out = new Bench.CountingOutputStream();
      DefaultExecutor e = DefaultExecutor.builder()
          .setExecuteStreamHandler(new PumpStreamHandler(out, new Bench.CountingOutputStream())).get();
      CommandLine line = new CommandLine(argv[0]);
      for (int i = 1; i < argv.length; i++) {
        line.addArgument(argv[i]);
      }
      Bench.checkExit(e.execute(line));
      return Bench.check(out.count);
    }
  }
}

package dev.subprocess.bench;

import static dev.subprocess.bench.Bench.BYTES;
import static dev.subprocess.bench.Bench.CHUNK;
import static dev.subprocess.bench.Bench.JDK;
import static dev.subprocess.bench.Bench.LINUX;
import static dev.subprocess.bench.Bench.NATIVE;
import static dev.subprocess.bench.Bench.QUIET;

import com.zaxxer.nuprocess.NuAbstractProcessHandler;
import com.zaxxer.nuprocess.NuProcess;
import com.zaxxer.nuprocess.NuProcessBuilder;
import dev.subprocess.Command;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import reactor.core.publisher.Flux;

/**
 * Stdin throughput: 256 MiB of zeros written into {@code wc -c} in 64 KiB chunks, wc's answer read and checked.
 * Seconds per run (spawn to reap); run.sh turns it into MB/s.
 */
public class Stdin {
  static final int CHUNKS = (int) (BYTES / CHUNK);

  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  public abstract static class Ours {
    final byte[] chunk = new byte[CHUNK];
    final ByteBuffer direct = ByteBuffer.allocateDirect(CHUNK).asReadOnlyBuffer();
    final Command wc = Command.of("wc", "-c").captureOutput();

    @Setup
    public void checkBackend() {
      Bench.requireBackend(this);
    }

    /** {@code .input(Flux of 64 KiB heap ByteBuffers).captureOutput().run()}. */
    @Benchmark
    public long input_heap() {
      Flux<ByteBuffer> data = Flux.range(0, CHUNKS).map(i -> ByteBuffer.wrap(chunk));
      return Bench.checkWc(wc.input(data).run().block().stdoutText());
    }

    /** The same with 64 KiB direct ByteBuffers (views of one read-only buffer). */
    @Benchmark
    public long input_direct() {
      Flux<ByteBuffer> data = Flux.range(0, CHUNKS).map(i -> direct.duplicate());
      return Bench.checkWc(wc.input(data).run().block().stdoutText());
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
    /** ProcessBuilder: a loop of {@code OutputStream.write(byte[65536])}, close, then read wc's answer. */
    @Benchmark
    public long processBuilder() throws Exception {
      Process p = new ProcessBuilder("wc", "-c").redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Bench.writeZeros(p.getOutputStream());
      String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      Bench.checkExit(p.waitFor());
      return Bench.checkWc(answer);
    }

    /** NuProcess: every chunk queued with {@code writeStdin}, then {@code closeStdin(false)}. */
    @Benchmark
    public long nuprocess() throws Exception {
      byte[] chunk = new byte[CHUNK];
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      NuProcessBuilder b = new NuProcessBuilder(List.of("wc", "-c"));
      b.setProcessListener(new NuAbstractProcessHandler() {
        @Override
        public void onStdout(ByteBuffer buffer, boolean closed) {
          byte[] bytes = new byte[buffer.remaining()];
          buffer.get(bytes);
          out.writeBytes(bytes);
        }
      });
      NuProcess p = b.start();
      for (int i = 0; i < CHUNKS; i++) {
        p.writeStdin(ByteBuffer.wrap(chunk));
      }
      p.closeStdin(false);
      Bench.checkExit(p.waitFor(0, TimeUnit.SECONDS));
      return Bench.checkWc(out.toString(StandardCharsets.US_ASCII));
    }

    /** zt-exec: {@code redirectInput} from an InputStream generating the zeros, {@code readOutput(true)}. */
    @Benchmark
    public long ztexec() throws Exception {
      return Bench.checkWc(new ProcessExecutor().command("wc", "-c")
          .redirectInput(new Bench.ZeroInputStream(BYTES)).readOutput(true).execute().outputUTF8());
    }

    /** commons-exec: a PumpStreamHandler fed by an InputStream generating the zeros. */
    @Benchmark
    public long commonsexec() throws Exception {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      DefaultExecutor e = DefaultExecutor.builder().setExecuteStreamHandler(
          new PumpStreamHandler(out, new Bench.CountingOutputStream(), new Bench.ZeroInputStream(BYTES))).get();
      Bench.checkExit(e.execute(new CommandLine("wc").addArgument("-c")));
      return Bench.checkWc(out.toString(StandardCharsets.US_ASCII));
    }
  }
}

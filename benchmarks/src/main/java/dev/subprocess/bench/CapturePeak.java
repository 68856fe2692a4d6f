package dev.subprocess.bench;

import dev.subprocess.Command;
import dev.subprocess.CompletedProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The heap a capture needs: {@code captureOutput().run()} of {@code head -c N /dev/zero} in child JVMs whose heap
 * is bounded ({@code -Xmx}) at a few multiples of N, and which of them complete. A capture that peaks at P times
 * its output succeeds from {@code -Xmx} about P × N on; the smallest multiple that succeeds bounds the peak.
 * Deterministic: the bound is the JVM's, not a timing. A main class, not JMH.
 *
 * <p>usage: {@code java -cp benchmarks.jar dev.subprocess.bench.CapturePeak [MIB=1024] [BACKEND=linux]
 * [MULTIPLES=1.25,1.5,2,3]}
 */
public final class CapturePeak {
  private CapturePeak() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--child")) {
      child(Long.parseLong(args[1]));
      return;
    }
    long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
    String backend = args.length > 1 ? args[1] : "linux";
    String multiples = args.length > 2 ? args[2] : "1.25,1.5,2,3";
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (String m : multiples.split(",")) {
      long heap = (long) (Double.parseDouble(m) * mib);
      List<String> argv = new ArrayList<>(List.of(java, "-Xmx" + heap + "m", "-XX:+UseG1GC",
          "--enable-native-access=ALL-UNNAMED", "-Ddev.subprocess.launcher=" + backend,
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
          CapturePeak.class.getName(), "--child", Long.toString(mib)));
      CompletedProcess done = Command.of(argv).captureOutput().run().block();
      String tail = done.stderrText().strip();
      int cut = tail.lastIndexOf('\n');
      System.out.printf("capture of %d MiB, %s backend, -Xmx%dm (%s x): %s%n", mib, backend, heap, m,
          done.returnCode() == 0 ? "completed" : "failed (" + (cut < 0 ? tail : tail.substring(cut + 1)) + ")");
      System.out.printf("RESULT capture_%s_x%s %d exit%n", backend, m, done.returnCode());
    }
  }

  private static void child(long mib) {
    long bytes = mib << 20;
    CompletedProcess done = Command.of("head", "-c", Long.toString(bytes), "/dev/zero").captureOutput().run()
        .block();
    if (done.stdout().length != bytes) {
      throw new IllegalStateException("captured " + done.stdout().length + " bytes, expected " + bytes);
    }
  }
}

package dev.subprocess.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.openjdk.jmh.annotations.Fork;

/** Constants and small helpers shared by the benchmarks. */
final class Bench {
  /** Bytes moved by the throughput benchmarks: 256 MiB. */
  static final long BYTES = 256L << 20;
  /** Chunk size of the readers and writers that have one to choose: 64 KiB. */
  static final int CHUNK = 64 << 10;

  /** JVM flags of every fork: native access for the linux backend (and NuProcess's JNA), quiet logging. */
  static final String NATIVE = "--enable-native-access=ALL-UNNAMED";
  static final String QUIET = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn";
  static final String LAUNCHER = "-Ddev.subprocess.launcher=";
  static final String LINUX = LAUNCHER + "linux";
  static final String JDK = LAUNCHER + "jdk";

  private Bench() {}

  /**
   * Fails the fork when its JVM does not run the backend that the benchmark class's {@code @Fork} names (its
   * {@code -Ddev.subprocess.launcher=} argument), so that no result is mislabelled. Each backend's variant of a
   * benchmark is then only its {@code @Fork} line: {@code @Fork(jvmArgsAppend = {NATIVE, QUIET, LINUX}) public
   * static class OursLinux extends Ours {}}.
   */
  static void requireBackend(Object benchmark) {
    Fork fork = benchmark.getClass().getAnnotation(Fork.class);
    String expected = fork == null ? null : Arrays.stream(fork.jvmArgsAppend())
        .filter(arg -> arg.startsWith(LAUNCHER))
        .map(arg -> arg.substring(LAUNCHER.length()))
        .findFirst()
        .orElse(null);
    if (expected == null) {
      throw new IllegalStateException(benchmark.getClass().getName() + " names no backend in its @Fork(jvmArgsAppend):"
          + " add LINUX or JDK");
    }
    String actual = System.getProperty("dev.subprocess.launcher");
    if (!expected.equals(actual)) {
      throw new IllegalStateException("this fork should run with " + LAUNCHER + expected
          + " but has " + actual + ": do not override the benchmark's @Fork(jvmArgsAppend) with -jvmArgsAppend");
    }
  }

  /** Returns the load average of the last minute, as {@code /proc/loadavg} gives it. */
  static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException e) {
      return "?";
    }
  }

  static long check(long bytes) {
    if (bytes != BYTES) {
      throw new IllegalStateException("moved " + bytes + " bytes, expected " + BYTES);
    }
    return bytes;
  }

  static long checkWc(String wcOutput) {
    return check(Long.parseLong(wcOutput.trim()));
  }

  static long checkExit(int code) {
    if (code != 0) {
      throw new IllegalStateException("exit code " + code);
    }
    return code;
  }

  /** An OutputStream that only counts what it is given, as a streaming consumer that keeps nothing would. */
  static final class CountingOutputStream extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }

  /** An InputStream of {@code size} zero bytes, generated as it is read. */
  static final class ZeroInputStream extends InputStream {
    private long left;

    ZeroInputStream(long size) {
      this.left = size;
    }

    @Override
    public int read() {
      if (left == 0) {
        return -1;
      }
      left--;
      return 0;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (left == 0) {
        return -1;
      }
      int n = (int) Math.min(len, left);
      java.util.Arrays.fill(b, off, off + n, (byte) 0);
      left -= n;
      return n;
    }

    @Override
    public int available() {
      return (int) Math.min(Integer.MAX_VALUE, left);
    }
  }

  /** Writes {@link #BYTES} zero bytes to {@code out} in {@link #CHUNK}-byte writes, then closes it. */
  static void writeZeros(OutputStream out) throws IOException {
    byte[] chunk = new byte[CHUNK];
    try (out) {
      for (long left = BYTES; left > 0; left -= CHUNK) {
        out.write(chunk, 0, (int) Math.min(CHUNK, left));
      }
    }
  }

  /** Reads {@code in} to the end with a {@link #CHUNK}-byte buffer and returns the byte count. */
  static long drain(InputStream in) throws IOException {
    return drain(in, CHUNK);
  }

  /** Reads {@code in} to the end with a {@code buffer}-byte buffer and returns the byte count. */
  static long drain(InputStream in, int buffer) throws IOException {
    byte[] buf = new byte[buffer];
    long total = 0;
    try (in) {
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
      }
    }
    return total;
  }
}

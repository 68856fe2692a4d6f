package dev.subprocess.bench;

import dev.subprocess.Command;

/**
 * The first process of a fresh JVM: one {@code /bin/true} run to its exit, then the JVM exits. Measured from
 * outside, as whole JVM processes, by {@code first-process.sh}, which alternates the implementations.
 *
 * <p>usage: {@code java --enable-native-access=ALL-UNNAMED [-Ddev.subprocess.launcher=linux|jdk] -cp
 * benchmarks.jar dev.subprocess.bench.FirstProcess ours|processBuilder}
 */
public final class FirstProcess {
  private FirstProcess() {}

  public static void main(String[] args) throws Exception {
    String impl = args.length > 0 ? args[0] : "ours";
    int code;
    switch (impl) {
      case "ours":
        code = Command.of("/bin/true").run().block().returnCode();
        break;
      case "processBuilder":
        code = new ProcessBuilder("/bin/true").inheritIO().start().waitFor();
        break;
      default:
        throw new IllegalArgumentException("unknown implementation " + impl + ": use ours or processBuilder");
    }
    if (code != 0) {
      throw new IllegalStateException("/bin/true returned " + code);
    }
  }
}

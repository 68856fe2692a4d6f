package dev.subprocess.bench;

import dev.subprocess.Command;

/**
 * A child that writes one short line now and then, read with {@code lines()}: the read path of an interactive or
 * slowly logging child. {@code trickle-syscalls.sh} runs it under {@code strace -f} and counts the system calls the
 * thread that reads the lines makes for each of them. A main class, not JMH: what it measures is a count, not a
 * time.
 *
 * <p>usage: {@code java --enable-native-access=ALL-UNNAMED -Ddev.subprocess.launcher=linux -cp benchmarks.jar
 * dev.subprocess.bench.Trickle [LINES=20] [GAP_SECONDS=0.1]}
 */
public final class Trickle {
  private Trickle() {}

  public static void main(String[] args) {
    int lines = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    String gap = args.length > 1 ? args[1] : "0.1";
    String script = "i=0; while [ $i -lt " + lines + " ]; do echo tick-$i; sleep " + gap + "; i=$((i + 1)); done";
    long read = Command.of("/bin/sh", "-c", script).lines().filter(line -> line.startsWith("tick-")).count().block();
    if (read != lines) {
      throw new IllegalStateException("read " + read + " lines of " + lines);
    }
    System.out.printf("read %d lines written %s s apart%n", read, gap);
    System.exit(0);
  }
}

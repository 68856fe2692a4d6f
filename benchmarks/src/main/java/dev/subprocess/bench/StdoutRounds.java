package dev.subprocess.bench;

import static dev.subprocess.bench.Bench.BYTES;

import dev.subprocess.Command;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Stdout throughput as interleaved rounds, for a machine whose load changes by the minute: each round runs every
 * reader once on the same producer, one after the other, so that every reader sees the same minutes, and the
 * medians over the rounds are compared. JMH's {@code Stdout} runs each reader for its own stretch of time instead,
 * which on a shared machine compares the load of different minutes as much as the readers.
 *
 * <p>Readers: this library's {@code output()} (the backend is the JVM's, {@code -Ddev.subprocess.launcher}) with
 * the default pipe and with {@code pipeSize(1 << 20)}, and {@code output(read)}, which lends each chunk, the same
 * two ways; {@code ProcessBuilder} read loops with 64 KiB and 1 MiB
 * buffers, zt-exec, commons-exec and NuProcess, as in {@code Stdout}; a {@code ProcessBuilder} loop that reads each
 * chunk into a fresh 64 KiB array, as a loop handing its chunks on to a consumer that keeps them must (the work of
 * {@code output()}, whose every chunk belongs to the subscriber; the other peers reuse one buffer, as
 * {@code output(read)} does); and the C reader {@code floor/read_floor.c} (its best strategy of the round), when its
 * binary is given.
 *
 * <p>usage: {@code StdoutRounds ROUNDS head|dd [READ_FLOOR_BINARY]}; prints one line per round and a table of
 * medians in MB/s (10^6 bytes per second), with each reader's ratio to the best peer and to the C reader, and the
 * median of its ratios to the best peer round by round ("paired"), which a load that changes between rounds moves
 * less.
 */
public final class StdoutRounds {
  /** The last chunk {@link #consume} took: kept where the JIT must assume someone reads it. */
  private static volatile byte[] lastChunk;

  private StdoutRounds() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    String producer = args[1];
    String floor = args.length > 2 ? args[2] : null;
    Stdout.Others peers = new Stdout.Others();
    peers.producer = producer;
    peers.argv();
    Command command = Command.of(List.of(Stdout.producer(producer)));
    Command command1m = command.pipeSize(1 << 20);
    String backend = System.getProperty("dev.subprocess.launcher", "default");

    Map<String, Callable<Long>> readers = new LinkedHashMap<>();
    readers.put(backend + " output()", () -> count(command));
    readers.put(backend + " output(), pipeSize(1 << 20)", () -> count(command1m));
    readers.put(backend + " output(read), lent chunks", () -> countLent(command));
    readers.put(backend + " output(read), lent, pipeSize(1 << 20)", () -> countLent(command1m));
    readers.put("ProcessBuilder 64 KiB", peers::processBuilder);
    readers.put("ProcessBuilder 1 MiB", peers::processBuilder_buffer1m);
    readers.put("ProcessBuilder 64 KiB, a fresh array per read", () -> processBuilderOwned(peers.argv));
    readers.put("zt-exec", peers::ztexec);
    readers.put("commons-exec", peers::commonsexec);
    readers.put("NuProcess", peers::nuprocess);

    Map<String, List<Double>> mbps = new LinkedHashMap<>();
    readers.keySet().forEach(name -> mbps.put(name, new ArrayList<>()));
    if (floor != null) {
      mbps.put("C reader, default pipe", new ArrayList<>());
      mbps.put("C reader, 1 MiB pipe", new ArrayList<>());
    }
    for (Callable<Long> reader : readers.values()) {
      reader.call(); // warm-up
    }
    for (int r = 0; r < rounds; r++) {
      StringBuilder line = new StringBuilder("round " + (r + 1) + ", load " + Bench.loadAverage() + ":");
      for (Map.Entry<String, Callable<Long>> reader : readers.entrySet()) {
        long t0 = System.nanoTime();
        Bench.check(reader.getValue().call());
        double rate = BYTES / ((System.nanoTime() - t0) / 1e3);
        mbps.get(reader.getKey()).add(rate);
        line.append(String.format(" %.0f", rate));
      }
      if (floor != null) {
        double c0 = floor(floor, 0, 65536, producer);
        double c1 = floor(floor, 1 << 20, 1 << 20, producer);
        mbps.get("C reader, default pipe").add(c0);
        mbps.get("C reader, 1 MiB pipe").add(c1);
        line.append(String.format(" | C %.0f %.0f", c0, c1));
      }
      System.out.println(line);
    }

    double bestPeer = 0;
    String bestPeerName = "";
    for (Map.Entry<String, List<Double>> e : mbps.entrySet()) {
      if (!e.getKey().startsWith(backend) && !e.getKey().startsWith("C ") && median(e.getValue()) > bestPeer) {
        bestPeer = median(e.getValue());
        bestPeerName = e.getKey();
      }
    }
    double bestC = floor == null ? Double.NaN
        : Math.max(median(mbps.get("C reader, default pipe")), median(mbps.get("C reader, 1 MiB pipe")));
    System.out.printf("%n%s, %d rounds, load at the end %s; medians, MB/s; best peer: %s%n", producer, rounds,
        Bench.loadAverage(), bestPeerName);
    System.out.println("| reader | MB/s | × best peer | × best peer, paired | × best C reader |");
    System.out.println("| --- | --- | --- | --- | --- |");
    List<Double> best = mbps.get(bestPeerName);
    for (Map.Entry<String, List<Double>> e : mbps.entrySet()) {
      double m = median(e.getValue());
      List<Double> paired = new ArrayList<>();
      for (int r = 0; r < rounds; r++) {
        paired.add(e.getValue().get(r) / best.get(r));
      }
      System.out.printf("| %s | %.0f | %.2f× | %.2f× | %.2f× |%n", e.getKey(), m, m / bestPeer, median(paired),
          m / bestC);
    }
  }

  /**
   * Reads the producer with {@code ProcessBuilder} into a fresh 64 KiB array per read, each array handed on whole
   * (here only counted), as a loop whose consumer keeps its chunks must read.
   */
  private static long processBuilderOwned(String[] argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    p.getOutputStream().close();
    long total = 0;
    try (java.io.InputStream in = p.getInputStream()) {
      for (;;) {
        byte[] chunk = new byte[Bench.CHUNK];
        int n = in.read(chunk);
        if (n < 0) {
          break;
        }
        total += consume(chunk, n);
      }
    }
    Bench.checkExit(p.waitFor());
    return total;
  }

  /** Takes a chunk as a consumer would, so that the JIT cannot drop the array it was read into. */
  private static int consume(byte[] chunk, int n) {
    lastChunk = chunk;
    return n;
  }

  /** Runs {@code command}'s {@code output()}, counting bytes. */
  private static long count(Command command) {
    return command.output().reduce(0L, (n, b) -> n + b.remaining()).block();
  }

  /** Runs {@code command}'s {@code output(read)}, counting the bytes of each lent chunk. */
  private static long countLent(Command command) {
    return command.output(b -> (long) b.remaining()).reduce(0L, Long::sum).block();
  }

  /** Runs the C reader once (its strategies once each) and returns its best reader's MB/s. */
  private static double floor(String binary, int pipeSize, int readSize, String producer) throws Exception {
    Process p = new ProcessBuilder(binary, Long.toString(BYTES), Integer.toString(pipeSize),
        Integer.toString(readSize), "1", producer).redirectErrorStream(true).start();
    double rate = Double.NaN;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("RESULT ")) {
          rate = Double.parseDouble(line.split(" ")[2]);
        }
      }
    }
    Bench.checkExit(p.waitFor());
    return rate;
  }

  private static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}

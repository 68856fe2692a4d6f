package dev.subprocess.bench;

import com.zaxxer.nuprocess.NuAbstractProcessHandler;
import com.zaxxer.nuprocess.NuProcess;
import com.zaxxer.nuprocess.NuProcessBuilder;
import dev.subprocess.Command;
import dev.subprocess.internal.Engine;
import java.io.ByteArrayOutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.PumpStreamHandler;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.StartedProcess;
import reactor.core.publisher.Flux;

/**
 * Many processes at once, which JMH measures badly: one JVM per implementation starts N (500) {@code sleep 0.5}
 * concurrently, each as that library is used to run a command whose output is read, and waits for all of them.
 * Prints one line: wall time, the peak of live JVM threads, and the heap held per live process.
 *
 * <p>usage: {@code java --enable-native-access=ALL-UNNAMED [-Ddev.subprocess.launcher=linux|jdk] -cp benchmarks.jar
 * dev.subprocess.bench.ManyProcesses IMPL [N] [SECONDS]}, IMPL one of ours, processBuilder, nuprocess, ztexec,
 * commonsexec.
 *
 * <p>Two phases. First, as asked, N x {@code sleep 0.5}: wall time from the first launch to the last exit, time to
 * issue the launches, the peak of live threads, and the most children seen alive at once (on a slow machine the
 * first sleeps end before the last start). Then N x {@code sleep S}, S long enough (four times the first phase's
 * issue time plus 3 s, between 5 and 20 s) for all of them to be alive together: once the number of live children
 * stopped growing, a full GC, and the heap used beyond a baseline (taken after the first phase, the same way)
 * divided by the children then alive; with the peak of live threads while they were. The JVM's "direct" buffer
 * pool is reported too; memory that JNA or the FFM API allocate with malloc is not in it.
 */
public final class ManyProcesses {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private ManyProcesses() {}

  public static void main(String[] args) throws Exception {
    String impl = args.length > 0 ? args[0] : "ours";
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    String seconds = args.length > 2 ? args[2] : "0.5";
    String label = impl.equals("ours") ? "ours (" + System.getProperty("dev.subprocess.launcher", "auto") + ")"
        : impl;

    // Warm-up round: loads and initialises every class on the path, starts the library's shared threads.
    launch(impl, 20, List.of("true")).get(60, TimeUnit.SECONDS);
    int threadsBase = THREADS.getThreadCount();
    THREADS.resetPeakThreadCount();

    // Phase 1, as asked: N x sleep 0.5 at once. Wall time from the first launch to the last exit, peak threads.
    long t0 = System.nanoTime();
    CompletableFuture<Void> all = launch(impl, n, List.of("sleep", seconds));
    long issued = System.nanoTime();
    long live = awaitChildren(n, t0, 100);
    all.get(300, TimeUnit.SECONDS);
    long t1 = System.nanoTime();
    int peakThreads = THREADS.getPeakThreadCount();
    double wallMs = (t1 - t0) / 1e6;
    double issueMs = (issued - t0) / 1e6;

    // Phase 2: the same with a sleep long enough for all N to be alive at once (launching 500 processes can take
    // longer than 0.5 s); once they are, a full GC, then the heap beyond the baseline per live child.
    long heapBase = heapAfterGc();
    long directBase = direct();
    THREADS.resetPeakThreadCount();
    long longSleep = Math.min(20, Math.max(5, Math.round(issueMs * 4 / 1000) + 3));
    long t2 = System.nanoTime();
    CompletableFuture<Void> all2 = launch(impl, n, List.of("sleep", Long.toString(longSleep)));
    long live2 = awaitChildren(n, t2, 2000);
    long heapLive = heapAfterGc();
    long directLive = direct();
    long liveAtGc = ProcessHandle.current().children().count();
    int peakThreadsAllLive = THREADS.getThreadCount();
    all2.get(300, TimeUnit.SECONDS);
    peakThreadsAllLive = Math.max(peakThreadsAllLive, THREADS.getPeakThreadCount());
    // The library's watchdog, a child for the JVM's whole life, is not one of the processes left.
    long watchdog = impl.equals("ours") ? Engine.watchdogPid() : -1;
    long stillLive = ProcessHandle.current().children().filter(child -> child.pid() != watchdog).count();

    double heapPerProcessKib = liveAtGc > 0 ? (heapLive - heapBase) / 1024.0 / liveAtGc : Double.NaN;
    double directPerProcessKib = liveAtGc > 0 ? (directLive - directBase) / 1024.0 / liveAtGc : Double.NaN;
    System.out.printf("many processes %s: %d x sleep %s in %.0f ms (launches issued in %.0f ms, at most %d alive"
            + " at once); threads %d before, peak %d; with %d x sleep %d (%d alive at the GC): peak threads %d,"
            + " heap %.1f KiB and direct buffers %.1f KiB per live process; %d children left%n",
        label, n, seconds, wallMs, issueMs, live, threadsBase, peakThreads, n, longSleep, liveAtGc,
        peakThreadsAllLive, heapPerProcessKib, directPerProcessKib, stillLive);
    System.out.printf("RESULT {\"impl\": \"%s\", \"wall_ms\": %.1f, \"issue_ms\": %.1f, \"threads_before\": %d,"
            + " \"peak_threads\": %d, \"max_live\": %d, \"long_sleep_s\": %d, \"live_at_gc\": %d,"
            + " \"max_live_long\": %d, \"peak_threads_all_live\": %d, \"heap_kib_per_process\": %.2f,"
            + " \"direct_kib_per_process\": %.2f}%n",
        label, wallMs, issueMs, threadsBase, peakThreads, live, longSleep, liveAtGc, live2, peakThreadsAllLive,
        Double.isNaN(heapPerProcessKib) ? -1 : heapPerProcessKib,
        Double.isNaN(directPerProcessKib) ? -1 : directPerProcessKib);
    System.exit(0);
  }

  /** Starts {@code n} processes the way {@code impl} runs commands; the future completes when all have ended. */
  static CompletableFuture<Void> launch(String impl, int n, List<String> argv) throws Exception {
    switch (impl) {
      case "ours": {
        Command cmd = Command.of(argv).captureOutput();
        return Flux.range(0, n).flatMap(i -> cmd.run(), n).then().toFuture();
      }
      case "processBuilder": {
        // Default pipes; sleep writes nothing, so nobody reads them (a lower bound for ProcessBuilder).
        List<CompletableFuture<Process>> exits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          exits.add(new ProcessBuilder(argv).start().onExit());
        }
        return CompletableFuture.allOf(exits.toArray(CompletableFuture[]::new));
      }
      case "nuprocess": {
        List<NuProcess> ps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          NuProcessBuilder b = new NuProcessBuilder(argv);
          b.setProcessListener(new NuAbstractProcessHandler() {});
          ps.add(b.start());
        }
        return CompletableFuture.runAsync(() -> {
          for (NuProcess p : ps) {
            try {
              p.waitFor(0, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }
        });
      }
      case "ztexec": {
        List<StartedProcess> ps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          ps.add(new ProcessExecutor().command(argv).readOutput(true).start());
        }
        return CompletableFuture.runAsync(() -> {
          for (StartedProcess p : ps) {
            try {
              p.getFuture().get();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
          }
        });
      }
      case "commonsexec": {
        List<DefaultExecuteResultHandler> handlers = new ArrayList<>(n);
        CommandLine line = new CommandLine(argv.get(0));
        argv.subList(1, argv.size()).forEach(line::addArgument);
        for (int i = 0; i < n; i++) {
          DefaultExecutor e = DefaultExecutor.builder()
              .setExecuteStreamHandler(new PumpStreamHandler(new ByteArrayOutputStream())).get();
          DefaultExecuteResultHandler h = new DefaultExecuteResultHandler();
          e.execute(line, h);
          handlers.add(h);
        }
        return CompletableFuture.runAsync(() -> {
          for (DefaultExecuteResultHandler h : handlers) {
            try {
              h.waitFor();
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          }
        });
      }
      default:
        throw new IllegalArgumentException("unknown implementation " + impl
            + ": use ours, processBuilder, nuprocess, ztexec or commonsexec");
    }
  }

  /** Waits until the JVM has {@code n} live children, or their number stopped growing; returns the most seen. */
  static long awaitChildren(int n, long t0, long stallMillis) throws InterruptedException {
    long most = 0;
    long lastGrowth = System.nanoTime();
    while (true) {
      long live = ProcessHandle.current().children().count();
      if (live > most) {
        most = live;
        lastGrowth = System.nanoTime();
      }
      if (most >= n || live < most || System.nanoTime() - lastGrowth > stallMillis * 1_000_000L
          || System.nanoTime() - t0 > 60_000_000_000L) {
        return most;
      }
      Thread.sleep(2);
    }
  }

  /** Bytes of the JVM's "direct" buffer pool: direct ByteBuffers (and, on recent JDKs, FFM native segments). */
  static long direct() {
    long used = 0;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        used += pool.getMemoryUsed();
      }
    }
    return used;
  }

  static long heapAfterGc() {
    for (int i = 0; i < 2; i++) {
      System.gc();
    }
    return MEMORY.getHeapMemoryUsage().getUsed();
  }
}

package dev.subprocess.bench;

import dev.subprocess.Command;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The first process of a fresh JVM: one {@code /bin/true} run to its exit, then the JVM exits. Measured from
 * outside, as whole JVM processes, by {@code first-process.sh}, which alternates the implementations.
 *
 * <p>{@code reactorProcessBuilder} is the floor of any library built like this one: SLF4J initialised (one logger,
 * as Reactor's own logging also does) and {@code ProcessBuilder} started in {@code Mono.fromCallable}, subscribed to
 * and blocked on, with none of the library's code.
 *
 * <p>usage: {@code java --enable-native-access=ALL-UNNAMED [-Ddev.subprocess.launcher=linux|jdk] -cp
 * benchmarks.jar dev.subprocess.bench.FirstProcess ours|processBuilder|reactorProcessBuilder}
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
      case "reactorProcessBuilder":
        LoggerFactory.getLogger(FirstProcess.class).debug("starting /bin/true");
        // map: a subscribed chain, as a library's is (block() of fromCallable alone calls it without subscribing)
        code = Mono.fromCallable(() -> new ProcessBuilder("/bin/true").inheritIO().start().waitFor())
            .map(returnCode -> returnCode).block();
        break;
      default:
        throw new IllegalArgumentException("unknown implementation " + impl
            + ": use ours, processBuilder or reactorProcessBuilder");
    }
    if (code != 0) {
      throw new IllegalStateException("/bin/true returned " + code);
    }
  }
}

import dev.subprocess.Command;
import dev.subprocess.pool.Framing;
import dev.subprocess.pool.WorkerPool;
import java.util.List;
import reactor.core.publisher.Flux;

/**
 * Runs the packaged jar's worker pools as a named module. Usage: PoolCheck with-pool | without-pool. With
 * reactor-pool on the module path a pool of two sed workers answers in order; without it the rest of the library
 * runs, and building a pool fails with a message that names the missing dependency.
 */
public class PoolCheck {
  public static void main(String[] args) {
    boolean withPool = args[0].equals("with-pool");
    require(ModuleLayer.boot().findModule("reactor.pool").isPresent() == withPool,
        "reactor.pool must " + (withPool ? "" : "not ") + "be in the module graph");
    Command sed = Command.of("sed", "-u", "s/^/ok:/");
    if (withPool) {
      try (WorkerPool<String, String> pool = WorkerPool.builder(sed, Framing.lines()).maxWorkers(2).build()) {
        List<String> answers = pool.map(Flux.just("a", "b", "c")).collectList().block();
        require(answers.equals(List.of("ok:a", "ok:b", "ok:c")), "the pool answered " + answers);
      }
      System.out.println("Pool check passed on Java " + Runtime.version() + " with reactor-pool");
    } else {
      require(Command.of("true").run().block().returnCode() == 0, "true did not return 0");
      try {
        WorkerPool.builder(sed, Framing.lines());
        require(false, "a pool was built without reactor-pool");
      } catch (IllegalStateException expected) {
        require(expected.getMessage().contains("io.projectreactor.addons:reactor-pool"), expected.getMessage());
      }
      System.out.println("Pool check passed on Java " + Runtime.version() + " without reactor-pool: the library"
          + " runs, and a pool names what it needs");
    }
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}

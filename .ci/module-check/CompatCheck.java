import dev.subprocess.Command;
import dev.subprocess.CompletedProcess;
import dev.subprocess.RunningProcess;
import dev.subprocess.Signals;
import dev.subprocess.Subprocess;
import dev.subprocess.TimeoutExpiredException;
import java.time.Duration;

/**
 * Runs the packaged jar as a named module: a capture, input, a check, a timeout and a SIGUSR1 (which both backends
 * send), then checks which backend ran, as {@code Subprocess.backend()} tells. Usage: CompatCheck JAVA_FEATURE
 * EXPECTED_BACKEND.
 */
public class CompatCheck {
  public static void main(String[] args) {
    int feature = Integer.parseInt(args[0]);
    String expectedBackend = args[1];
    require(Runtime.version().feature() == feature, "this check must run on Java " + feature + ", not "
        + Runtime.version());
    require(Command.class.getModule().getName().equals("dev.subprocess"), "the jar must load as a named module");
    CompletedProcess done = Command.of("cat").input("hello").captureOutput().check().run().block();
    require(done.stdoutText().equals("hello"), "cat echoed " + done.stdoutText());
    try {
      Command.of("sleep", "30").timeout(Duration.ofMillis(200)).run().block();
      require(false, "the timeout did not fire");
    } catch (TimeoutExpiredException expected) {
      // The process was stopped and reaped.
    }
    RunningProcess sleeper = Command.of("sleep", "30").start().block();
    sleeper.sendSignal(Signals.SIGUSR1);
    int code = sleeper.exitCode().block();
    require(code == -Signals.SIGUSR1, "SIGUSR1 ended sleep with " + code);
    String backend = Subprocess.backend().name();
    require(backend.equals(expectedBackend), "expected the " + expectedBackend + " backend, got " + backend);
    System.out.println("Module check passed on Java " + Runtime.version() + " with the " + backend + " backend");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}

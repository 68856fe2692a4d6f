import dev.subprocess.Command;
import dev.subprocess.CompletedProcess;
import dev.subprocess.TimeoutExpiredException;
import java.time.Duration;

/** Runs the packaged jar's base layer on Java 17, as a module: a capture, input, a check and a timeout. */
public class CompatCheck {
  public static void main(String[] args) {
    require(Runtime.version().feature() == 17, "this check must run on Java 17, not " + Runtime.version());
    require(Command.class.getModule().getName().equals("dev.subprocess"), "the jar must load as a named module");
    CompletedProcess done = Command.of("cat").input("hello from Java 17").captureOutput().check().run().block();
    require(done.stdoutText().equals("hello from Java 17"), "cat echoed " + done.stdoutText());
    try {
      Command.of("sleep", "30").timeout(Duration.ofMillis(200)).run().block();
      require(false, "the timeout did not fire");
    } catch (TimeoutExpiredException expected) {
      // The process was stopped and reaped.
    }
    System.out.println("Java 17 check passed: " + Runtime.version() + ", module " + Command.class.getModule());
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}

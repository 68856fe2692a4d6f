package dev.subprocess.demo;

import dev.subprocess.CalledProcessException;
import dev.subprocess.Command;
import dev.subprocess.CompletedProcess;
import dev.subprocess.Redirect;
import dev.subprocess.Subprocess;
import dev.subprocess.TimeoutExpiredException;
import java.time.Duration;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Shows the main job of the library in a few seconds: run, capture, input, check, timeout, concurrency. */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) {
    say("1. Run a command and capture its output (Python: subprocess.run(..., capture_output=True))");
    CompletedProcess uname = Command.of("uname", "-sr").captureOutput().run().block();
    say("   returnCode=" + uname.returnCode() + " stdout=" + uname.stdoutText().trim());

    say("2. Feed input while reading output: 8 MiB through sha256sum, no deadlock");
    CompletedProcess sum = Command.of("sha256sum").input(new byte[8 << 20]).captureOutput().run().block();
    say("   " + sum.stdoutText().trim());

    say("3. check(): a failing command fails the Mono with the command, directory, status and stderr");
    Command.shell("echo 'cannot frobnicate: disk full' >&2; exit 3").captureOutput().check().run()
        .onErrorResume(CalledProcessException.class, e -> {
          say(indent(e.getMessage()));
          return Mono.empty();
        })
        .block();

    say("4. timeout(): the process is stopped (SIGTERM, then SIGKILL after the grace) and reaped");
    Command.shell("echo working; exec sleep 30").captureOutput().timeout(Duration.ofMillis(500)).run()
        .onErrorResume(TimeoutExpiredException.class, e -> {
          say(indent(e.getMessage()) + "\n   captured before the stop: " + new String(e.stdout()).trim());
          return Mono.empty();
        })
        .block();

    say("5. Many processes at once, composed like any other publisher");
    long t0 = System.nanoTime();
    Integer total = Flux.range(1, 50)
        .flatMap(i -> Command.shell("sleep 0.2; echo " + i).stdout(Redirect.PIPE).run(), 50)
        .map(done -> Integer.parseInt(done.stdoutText().trim()))
        .reduce(0, Integer::sum)
        .block();
    say("   50 processes of 0.2 s each, sum of their outputs " + total + ", in "
        + (System.nanoTime() - t0) / 1_000_000 + " ms");

    say("6. The one-liners: getstatusoutput, check_output");
    say("   getStatusOutput(\"ls /bin/ls\") = " + Subprocess.getStatusOutput("ls /bin/ls").block());
    say("   getStatusOutput(\"/bin/junk\") = " + Subprocess.getStatusOutput("/bin/junk").block());
    say("   checkOutput(\"echo\", \"hi\") = " + new String(Subprocess.checkOutput("echo", "hi").block()).trim());
  }

  private static String indent(String text) {
    return "   " + text.replace("\n", "\n   ");
  }

  private static void say(String line) {
    System.out.println(line);
  }
}

package dev.subprocess.demo;

import dev.subprocess.Backend;
import dev.subprocess.CalledProcessException;
import dev.subprocess.Command;
import dev.subprocess.CompletedProcess;
import dev.subprocess.Redirect;
import dev.subprocess.RunningProcess;
import dev.subprocess.Subprocess;
import dev.subprocess.TimeoutExpiredException;
import dev.subprocess.micrometer.ProcessObservationContext;
import dev.subprocess.micrometer.SubprocessObservations;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Shows the main job of the library in a few seconds: run, capture, input, check, timeout, concurrency, and every
 * process observed with Micrometer.
 */
public final class Demo {
  private Demo() {}

  public static void main(String[] args) {
    Backend backend = Subprocess.backend();
    say("0. Backend: " + backend.name() + " (linux: posix_spawn and one event-loop thread; jdk: ProcessBuilder),"
        + " supports " + backend.features());
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

    say("5. Streaming with backpressure: the child runs only as fast as we read");
    streamWithBackpressure();

    say("6. A shell pipeline joined by OS pipes: seq 1 1000000 | grep 7 | wc -l");
    String sevens = Command.of("seq", "1", "1000000").stdin(Redirect.DEVNULL)
        .pipeTo(Command.of("grep", "7"))
        .pipeTo(Command.of("wc", "-l"))
        .lines()
        .blockLast();
    say("   " + sevens.trim() + " numbers up to a million contain a 7");

    say("7. Many processes at once, composed like any other publisher");
    long t0 = System.nanoTime();
    Integer total = Flux.range(1, 50)
        .flatMap(i -> Command.shell("sleep 0.2; echo " + i).stdout(Redirect.PIPE).run(), 50)
        .map(done -> Integer.parseInt(done.stdoutText().trim()))
        .reduce(0, Integer::sum)
        .block();
    say("   50 processes of 0.2 s each, sum of their outputs " + total + ", in "
        + (System.nanoTime() - t0) / 1_000_000 + " ms");

    say("8. The one-liners: getstatusoutput, check_output");
    say("   getStatusOutput(\"ls /bin/ls\") = " + Subprocess.getStatusOutput("ls /bin/ls").block());
    say("   getStatusOutput(\"/bin/junk\") = " + Subprocess.getStatusOutput("/bin/junk").block());
    say("   checkOutput(\"echo\", \"hi\") = " + new String(Subprocess.checkOutput("echo", "hi").block()).trim());

    say("9. Metrics and traces: SubprocessObservations.enable(registry) makes every process a Micrometer observation");
    observations();
  }

  /** Enables observations with a handler that prints each one as it stops, and runs four processes. */
  private static void observations() {
    ObservationRegistry registry = ObservationRegistry.create();
    registry.observationConfig().observationHandler(new ObservationHandler<ProcessObservationContext>() {
      @Override
      public boolean supportsContext(Observation.Context context) {
        return context instanceof ProcessObservationContext;
      }

      @Override
      public void onStart(ProcessObservationContext context) {
        context.put("startNanos", System.nanoTime());
      }

      @Override
      public void onStop(ProcessObservationContext context) {
        long micros = (System.nanoTime() - context.<Long>getRequired("startNanos")) / 1000;
        StringBuilder tags = new StringBuilder();
        context.getLowCardinalityKeyValues().forEach(kv -> tags.append(tags.length() == 0 ? "" : ",")
            .append(kv.getKey()).append('=').append(kv.getValue()));
        say("   " + context.getName() + "{" + tags + "} " + micros / 1000 + " ms, span '" + context.getContextualName()
            + "': pid " + context.getPid() + ", " + context.getStdinBytes() + " bytes in, "
            + context.getStdoutBytes() + " + " + context.getStderrBytes() + " bytes out");
      }
    });
    SubprocessObservations.enable(registry);
    try {
      Command.of("sha256sum").input(new byte[1 << 20]).captureOutput().run().block();
      Command.shell("echo 'cannot frobnicate' >&2; exit 3").captureOutput().run().block();
      Command.of("sleep", "30").timeout(Duration.ofMillis(200)).run().onErrorResume(e -> Mono.empty()).block();
      Command.of("yes").stdin(Redirect.DEVNULL).output().take(3).blockLast();   // cancelled after 3 chunks
    } finally {
      SubprocessObservations.disable();
    }
  }

  /** Reads one chunk of `yes`, shows that the child then blocks, reads more, and cancels. */
  private static void streamWithBackpressure() {
    RunningProcess yes = Command.of("yes").stdin(Redirect.DEVNULL).stdout(Redirect.PIPE).start().block();
    BaseSubscriber<ByteBuffer> reader = new BaseSubscriber<>() {
      @Override
      protected void hookOnSubscribe(Subscription subscription) {
        request(1);
      }
    };
    yes.stdout().subscribe(reader);
    pause(300);
    say("   after 1 chunk requested, yes has written " + kib(written(yes.pid())) + " KiB (the chunk we read and a"
        + " full 64 KiB pipe) and is blocked in " + wchan(yes.pid()));
    reader.request(100);
    pause(300);
    say("   after 100 more, it has written " + kib(written(yes.pid())) + " KiB. We own this process (start()),"
        + " so cancelling only closes the pipe; output() would stop it with SIGTERM:");
    reader.cancel();
    say("   exit code " + yes.exitCode().block() + " (-13: yes was killed by SIGPIPE on its next write)");
  }

  private static long written(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/io")).stream()
          .filter(line -> line.startsWith("wchar:"))
          .mapToLong(line -> Long.parseLong(line.substring(6).trim()))
          .findFirst().orElse(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  private static String wchan(long pid) {
    try {
      return Files.readString(Path.of("/proc/" + pid + "/wchan"));
    } catch (IOException e) {
      return "?";
    }
  }

  private static long kib(long bytes) {
    return bytes / 1024;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String indent(String text) {
    return "   " + text.replace("\n", "\n   ");
  }

  private static void say(String line) {
    System.out.println(line);
  }
}

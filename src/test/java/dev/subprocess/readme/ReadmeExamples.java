package dev.subprocess.readme;

import dev.subprocess.Backend;
import dev.subprocess.Command;
import dev.subprocess.CompletedPipeline;
import dev.subprocess.CompletedProcess;
import dev.subprocess.Conversation;
import dev.subprocess.PipelineException;
import dev.subprocess.Redirect;
import dev.subprocess.ResourceUsage;
import dev.subprocess.RunningProcess;
import dev.subprocess.Subprocess;
import dev.subprocess.TimeoutExpiredException;
import dev.subprocess.pool.Framing;
import dev.subprocess.pool.WorkerPool;
import dev.subprocess.micrometer.SubprocessObservations;
import io.micrometer.observation.ObservationRegistry;
import dev.subprocess.ssh.SshHost;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/** The code the README quotes, compiled with the tests so that every snippet stays true. */
final class ReadmeExamples {
  private ReadmeExamples() {}

  static Mono<String> quickStart(Path repo) {
    // quick-start
    Mono<CompletedProcess> status = Command.of("git", "status", "--short")
        .cwd(repo)
        .captureOutput()                      // stdout and stderr captured into the result
        .check()                              // a non-zero exit fails the Mono with CalledProcessException
        .timeout(Duration.ofSeconds(10))      // stopped, reaped, and failed with TimeoutExpiredException
        .run();                               // nothing has started yet: each subscription runs git anew

    Mono<String> changes = status.map(CompletedProcess::stdoutText);
    // end
    return changes;
  }

  static Mono<String> remote(int port, String user, Path key, Path knownHosts) {
    // remote
    SshHost build = SshHost.builder("127.0.0.1")   // any host name or address
        .port(port)
        .user(user)
        .identity(key)                              // an unencrypted OpenSSH or PEM private key
        .knownHosts(knownHosts)                     // ~/.ssh/known_hosts unless given; unknown keys are refused
        .build();

    Mono<String> kernel = Command.of("uname", "-r")
        .on(build)                                  // every operation now runs there, with the same semantics
        .captureOutput()
        .check()
        .timeout(Duration.ofSeconds(30))            // stops the remote process, as locally
        .run()
        .map(CompletedProcess::stdoutText)
        .doFinally(signal -> build.close());        // closes its connections at once (idle ones close anyway)
    // end
    return kernel;
  }

  static Mono<Integer> oneLiners() {
    // one-liners
    Mono<byte[]> kernel = Subprocess.checkOutput("uname", "-r");
    Mono<Integer> code = Subprocess.call("true");
    Mono<String> listing = Subprocess.getOutput("ls /bin/ls");
    // end
    return kernel.then(listing).then(code);
  }

  static String backend() {
    // backend
    Backend backend = Subprocess.backend();
    boolean sessions = backend.supports(Backend.Feature.NEW_SESSION);
    String description = backend.name() + " " + backend.features();   // such as "jdk [NEW_SESSION, ...]"
    // end
    return sessions ? description : description + " without sessions";
  }

  static Mono<String> lentOutput() throws java.security.NoSuchAlgorithmException {
    // lent
    java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
    Mono<Long> hashed = Command.of("tar", "-c", "-f", "-", "/etc/hosts")
        .output(chunk -> {                    // each chunk lent for the call only: nothing copied
          long n = chunk.remaining();
          sha256.update(chunk);
          return n;
        })
        .reduce(0L, Long::sum);               // the bytes hashed; sha256.digest() once it completes
    // end
    return hashed.map(n -> n + " " + java.util.HexFormat.of().formatHex(sha256.digest()));
  }

  static Flux<String> streaming() {
    // streaming
    Flux<String> lines = Command.of("journalctl", "--follow", "--lines=100")
        .lines();                             // decoded, split, read only as fast as you request

    Flux<ByteBuffer> bytes = Command.of("tar", "-c", "-f", "-", "/etc/hosts")
        .output();                            // stdout as it arrives; fails after it on a non-zero exit
    // end
    return lines.mergeWith(bytes.map(b -> ""));
  }

  /** A WebFlux controller, as the README shows it. */
  @RestController
  static class BuildLogs {
    // webflux
    @GetMapping(value = "/builds/{id}/log", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<String> buildLog(@PathVariable String id) {
      // The HTTP client's pace is the child's pace; a client that disconnects stops and reaps the child.
      return Command.of("make", "-C", workspace(id), "all")
          .stderr(Redirect.STDOUT)
          .timeout(Duration.ofMinutes(30))
          .lines();
    }
    // end

    private String workspace(String id) {
      return "/srv/builds/" + id;
    }
  }

  record Event(String text) {
    byte[] toBytes() {
      return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }
  }

  static Flux<ByteBuffer> dataPipeline(Flux<Event> events) {
    // pipe
    Flux<ByteBuffer> sortedAndCompressed = events
        .map(event -> ByteBuffer.wrap(event.toBytes()))
        .transform(Command.of("sort")::pipe)          // each command is a stream operator with backpressure
        .transform(Command.of("gzip", "-c")::pipe);
    // end
    return sortedAndCompressed;
  }

  static Flux<String> shellPipeline() {
    // pipeline
    Flux<String> top = Command.of("sort", "access.log")
        .pipeTo(Command.of("uniq", "-c"))
        .pipeTo(Command.of("sort", "-rn"))
        .pipeTo(Command.of("head", "-10"))     // joined by OS pipes: no byte passes through the JVM
        .lines();
    // end
    return top;
  }

  static Mono<String> pipelineFailure() {
    // pipeline failure
    Mono<String> counted = Command.of("grep", "-c", "ERROR").okExitCodes(1)  // 1: no match, no failure
        .pipeTo(Command.of("tr", "-d", " "))
        .input("ok\nok\n")                    // Python's run_pipeline(..., input=...): fed to the first stage
        .captureOutput()                       // the last stage's stdout, every stage's stderr apart
        .check()                               // a failed stage fails the Mono with PipelineException
        .run()
        .map(CompletedPipeline::stdoutText)
        .onErrorMap(PipelineException.class, e -> new IllegalStateException(
            "counting failed in stages " + e.failed() + ", return codes " + e.returnCodes(), e));
    // end
    return counted;
  }

  static Mono<Void> popen() {
    // popen
    Mono<CompletedProcess> sorted = Command.of("sort").stdin(Redirect.PIPE).captureOutput()
        .start()                                       // Popen: you own the process
        .flatMap(p -> p.communicate("b\na\n".getBytes(StandardCharsets.UTF_8)));

    Mono<Integer> stopped = Command.of("sleep", "60").start()
        .flatMap(p -> {
          p.terminate();                               // SIGTERM; p.kill() sends SIGKILL
          return p.exitCode();                         // wait(): -15
        });
    // end
    return sorted.then(stopped).then();
  }

  static Mono<List<CompletedProcess>> popenTimeouts() {
    // popen-timeouts
    Mono<CompletedProcess> report = Command.shell("echo working; exec sleep infinity").captureOutput()
        .start()
        .flatMap(p -> p.communicate(Duration.ofSeconds(1))   // TimeoutExpiredException: p still runs
            .onErrorResume(TimeoutExpiredException.class, late -> {
              p.kill();                                    // as in Python: kill, then communicate again
              return p.communicate();                      // all that was read, before and after: -9
            }));

    Mono<CompletedProcess> sorted = Command.of("sort").stdin(Redirect.PIPE).stdout(Redirect.PIPE)
        .start()
        .flatMap(p -> p.write("pear\n")                    // p.stdin.write(...): stdin stays open
            .then(p.write("apple\n"))
            .then(p.communicate("fig\n")));                // the last write closes stdin
    // end
    return Flux.concat(report, sorted).collectList();
  }

  static Flux<String> execute() {
    // execute
    Flux<String> sorted = Command.of("sort").stdin(Redirect.PIPE).stdout(Redirect.PIPE)
        .execute((RunningProcess p) -> Flux.merge(     // subscribe to what the body reads at once
            p.writeStdin(Flux.just("pear\n", "apple\n").map(s -> ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8))))
                .then(Mono.empty()),
            p.stdout().map(chunk -> StandardCharsets.UTF_8.decode(chunk).toString())));
    // end
    return sorted;
  }

  static Flux<String> terminal() {
    // terminal
    Flux<String> size = Command.of("sh", "-i").env("PS1", "$ ")
        .terminal(120, 40)                             // stdin, stdout and stderr on a new 120x40 pseudo-terminal
        .execute(p -> {
          Conversation shell = Conversation.of(p);     // pexpect-style: expect, send, and what came before
          Duration limit = Duration.ofSeconds(10);
          return shell.expect("$ ", limit)
              .then(shell.sendLine("stty size"))
              .then(shell.expect(Pattern.compile("(\\d+) (\\d+)\r\n"), limit))  // not the echoed "stty size"
              .map(rowsColumns -> rowsColumns.group(2) + "x" + rowsColumns.group(1))  // "120x40"
              .concatWith(shell.sendLine("exit").then(p.exitCode()).then(Mono.empty()));
        });
    // end
    return size;
  }

  static Mono<Duration> resourceUsage() {
    // resources
    Mono<Duration> cpu = Command.of("gzip", "-c", "/etc/hosts").stdout(Redirect.DEVNULL).run()
        .map(done -> done.resourceUsage()              // user and system CPU time, empty on the jdk backend
            .map(ResourceUsage::totalTime)
            .orElse(Duration.ZERO));
    // end
    return cpu;
  }

  static Flux<String> context() {
    // context
    Hooks.enableAutomaticContextPropagation();         // with io.micrometer:context-propagation on the classpath

    Flux<String> traced = Command.of("./deploy.sh")
        .envFromContext("TRACE_ID", "traceId")         // the child gets TRACE_ID from the subscriber's Context
        .lines()
        .contextWrite(Context.of("traceId", "4bf92f3577b34da6"));
    // end
    return traced;
  }

  static List<String> workerPool() {
    // worker-pool
    // The worker: a long-lived program that answers each line of stdin with one line on stdout, at once.
    Command squarer = Command.shell("while IFS= read -r n; do echo $((n * n)); done");

    List<String> squares;
    try (WorkerPool<String, String> pool = WorkerPool.builder(squarer, Framing.lines())
        .maxWorkers(4)                                 // Pool(processes=4)
        .maxRequestsPerWorker(1000)                    // maxtasksperchild=1000
        .requestTimeout(Duration.ofSeconds(5))         // a late worker is stopped and replaced
        .build()) {                                    // workers start with the first requests
      String one = pool.submit("7").block();           // apply_async(...).get(): "49"
      squares = pool.map(Flux.range(1, 5).map(String::valueOf))  // imap: answers in request order
          .collectList()
          .block();                                    // ["1", "4", "9", "16", "25"]
    }                                                  // close(): in-flight requests finish, workers exit
    // end
    return squares;
  }

  static Mono<CompletedProcess> observations(ObservationRegistry registry) {
    // observations
    SubprocessObservations.enable(registry);           // once, at startup; Spring Boot provides the registry

    Mono<CompletedProcess> kernel = Command.of("uname", "-r").captureOutput().run();
    // each run is observed: a timer "subprocess" tagged command=uname, outcome=OK, exit.code=0, and a span
    // "subprocess uname" (pid, stdout.bytes, stderr.bytes, stdin.bytes) in the subscriber's trace
    // end
    return kernel;
  }
}

package dev.subprocess.web;

import dev.subprocess.CalledProcessException;
import dev.subprocess.Command;
import dev.subprocess.CompletedProcess;
import dev.subprocess.Redirect;
import dev.subprocess.SubprocessException;
import java.time.Duration;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Build endpoints as the README shows them: a build's output as one response (errors mapped by
 * {@link ProcessProblems}), and its log as Server-Sent Events that end with an error event and an exit event.
 */
@RestController
public class BuildController {
  /** The "builds" the tests run, by id. */
  private static final Map<String, Command> BUILDS = Map.of(
      "ok", Command.shell("echo compiling; echo built"),
      "broken", Command.shell("echo compiling; echo 'cannot frobnicate: disk full' >&2; exit 3"),
      "stuck", Command.shell("echo compiling; exec sleep 60").timeout(Duration.ofMillis(300)),
      "missing", Command.of("/opt/no-such-toolchain/bin/make", "all"));

  private static Command build(String id) {
    Command build = BUILDS.get(id);
    if (build == null) {
      throw new ResponseStatusException(org.springframework.http.HttpStatus.NOT_FOUND, "no build " + id);
    }
    return build.stdin(Redirect.DEVNULL);
  }

  // mono-endpoint
  @GetMapping("/builds/{id}")
  Mono<String> buildOutput(@PathVariable("id") String id) {
    return build(id).captureOutput().check().run()   // failures become problem responses (ProcessProblems)
        .map(CompletedProcess::stdoutText);
  }
  // end

  // sse-exit-status
  @GetMapping(value = "/builds/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  Flux<ServerSentEvent<String>> buildEvents(@PathVariable("id") String id) {
    // Once the 200 and the first events are sent, a failure can only be told in the stream: end it with an
    // "error" event and an "exit" event, so the client sees why, and the connection closes cleanly.
    return build(id).stderr(Redirect.STDOUT).lines()
        .map(line -> ServerSentEvent.builder(line).build())
        .concatWith(Mono.just(ServerSentEvent.builder("0").event("exit").build()))
        .onErrorResume(SubprocessException.class, e -> Flux.just(
            ServerSentEvent.builder(e.getMessage()).event("error").build(),
            ServerSentEvent.builder(exitStatus(e)).event("exit").build()));
  }

  private static String exitStatus(SubprocessException e) {
    return e instanceof CalledProcessException failed ? String.valueOf(failed.returnCode()) : "none";
  }
  // end
}

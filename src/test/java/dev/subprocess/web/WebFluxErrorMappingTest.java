package dev.subprocess.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The error mapping the README recommends, served by an annotated WebFlux application on Reactor Netty and read
 * by a real HTTP client: problem responses for a failed, a timed-out and an unstartable command, and for a stream,
 * an error event and an exit event that end it cleanly instead of an aborted connection.
 */
class WebFluxErrorMappingTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Configuration
  @EnableWebFlux
  @Import({BuildController.class, ProcessProblems.class})
  static class Application {}

  private AnnotationConfigApplicationContext spring;
  private DisposableServer server;
  private HttpClient client;

  @BeforeEach
  void startServer() {
    spring = new AnnotationConfigApplicationContext(Application.class);
    server = HttpServer.create().host("127.0.0.1").port(0)
        .handle(new ReactorHttpHandlerAdapter(WebHttpHandlerBuilder.applicationContext(spring).build()))
        .bindNow();
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.disposeNow(Duration.ofSeconds(10));
    spring.close();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode problem(HttpResponse<String> response) throws IOException {
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    return JSON.readTree(response.body());
  }

  @Test
  void aSuccessfulBuildIsItsOutput() throws Exception {
    HttpResponse<String> response = get("/builds/ok");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("compiling\nbuilt\n");
  }

  @Test
  void aNonZeroExitIsABadGatewayProblemWithTheExitCodeAndStderr() throws Exception {
    HttpResponse<String> response = get("/builds/broken");
    assertThat(response.statusCode()).isEqualTo(502);
    JsonNode problem = problem(response);
    assertThat(problem.get("type").asText()).isEqualTo("about:blank");
    assertThat(problem.get("status").asInt()).isEqualTo(502);
    assertThat(problem.get("title").asText()).isEqualTo("Command failed");
    assertThat(problem.get("detail").asText()).isEqualTo("/bin/sh exited with status 3");
    assertThat(problem.get("exitCode").asInt()).isEqualTo(3);
    assertThat(problem.get("stderr").get(0).asText()).isEqualTo("cannot frobnicate: disk full");
    assertThat(problem.get("instance").asText()).isEqualTo("/builds/broken");
  }

  @Test
  void aTimeoutIsAGatewayTimeoutProblem() throws Exception {
    HttpResponse<String> response = get("/builds/stuck");
    assertThat(response.statusCode()).isEqualTo(504);
    JsonNode problem = problem(response);
    assertThat(problem.get("title").asText()).isEqualTo("Command timed out");
    assertThat(problem.get("detail").asText()).isEqualTo("/bin/sh did not finish within 300 ms");
  }

  @Test
  void aCommandThatCannotStartIsAServiceUnavailableProblemWithTheOsError() throws Exception {
    HttpResponse<String> response = get("/builds/missing");
    assertThat(response.statusCode()).isEqualTo(503);
    JsonNode problem = problem(response);
    assertThat(problem.get("title").asText()).isEqualTo("Command could not start");
    assertThat(problem.get("detail").asText()).startsWith("/opt/no-such-toolchain/bin/make could not start: ");
    assertThat(problem.get("error").asText()).isEqualTo("ENOENT");
  }

  /** Reads a whole event stream; a connection aborted before its end throws here instead. */
  private List<String[]> events(String path) throws IOException, InterruptedException {
    HttpResponse<java.io.InputStream> response = client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    List<String[]> events = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String name = "message";
      StringBuilder data = null;
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isEmpty()) {
          if (data != null) {
            events.add(new String[] {name, data.toString()});
          }
          name = "message";
          data = null;
        } else if (line.startsWith("event:")) {
          name = line.substring(6);
        } else if (line.startsWith("data:")) {
          data = data == null ? new StringBuilder() : data.append('\n');
          data.append(line.substring(5));
        }
      }
    }
    return events;
  }

  @Test
  void aSuccessfulStreamEndsWithExitZero() throws Exception {
    List<String[]> events = events("/builds/ok/events");
    assertThat(events).extracting(e -> e[0] + "=" + e[1])
        .containsExactly("message=compiling", "message=built", "exit=0");
  }

  @Test
  void aFailingStreamEndsWithAnErrorEventAndItsExitStatusAndClosesCleanly() throws Exception {
    List<String[]> events = events("/builds/broken/events");
    assertThat(events).extracting(e -> e[0])
        .containsExactly("message", "message", "error", "exit");
    assertThat(events.get(0)[1]).isEqualTo("compiling");
    assertThat(events.get(1)[1]).isEqualTo("cannot frobnicate: disk full");
    assertThat(events.get(2)[1]).startsWith("Command 'echo ")
        .contains("returned non-zero exit status 3.\n  working directory: ");
    assertThat(events.get(3)[1]).isEqualTo("3");
  }

  @Test
  void aStreamThatTimesOutOrCannotStartSaysSoInItsLastEvents() throws Exception {
    List<String[]> stuck = events("/builds/stuck/events");
    assertThat(stuck).extracting(e -> e[0]).containsExactly("message", "error", "exit");
    assertThat(stuck.get(1)[1]).contains("timed out after");
    List<String[]> missing = events("/builds/missing/events");
    assertThat(missing).extracting(e -> e[0] + "=" + e[1].lines().findFirst().orElse(""))
        .hasSize(2)
        .satisfiesExactly(
            error -> assertThat(error).startsWith("error=Cannot run program '/opt/no-such-toolchain/bin/make'"),
            exit -> assertThat(exit).isEqualTo("exit=none"));
  }
}

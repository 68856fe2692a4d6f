package dev.subprocess.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.Command;
import dev.subprocess.Redirect;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.LeakCheck;
import dev.subprocess.testing.ProcStat;
import java.io.BufferedReader;
import java.io.InputStream;
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
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Process output streamed into WebFlux functional endpoints on Reactor Netty, read by a real HTTP client on
 * loopback: the client's pace is the child's pace, and a client that goes away stops the child.
 */
class WebFluxStreamingTest {
  private static final DefaultDataBufferFactory BUFFERS = DefaultDataBufferFactory.sharedInstance;

  private DisposableServer server;
  private HttpClient client;

  @BeforeEach
  void startServer() {
    RouterFunction<ServerResponse> routes = RouterFunctions.route()
        .GET("/yes", request -> ServerResponse.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
            .body(Command.of("yes", "a fairly long line of output that fills buffers").stdin(Redirect.DEVNULL)
                .killGrace(Duration.ofSeconds(2))
                .output().map(BUFFERS::wrap), DataBuffer.class))
        .GET("/seq", request -> ServerResponse.ok().contentType(MediaType.TEXT_EVENT_STREAM)
            .body(Command.of("seq", "1", request.queryParam("n").orElse("5")).lines()
                .map(line -> ServerSentEvent.builder(line).id(line).build()), ServerSentEvent.class))
        .build();
    server = HttpServer.create().host("127.0.0.1").port(0)
        .handle(new ReactorHttpHandlerAdapter(RouterFunctions.toHttpHandler(routes)))
        .bindNow();
    client = HttpClient.newHttpClient();
  }

  @AfterEach
  void stopServer() {
    client.close();
    server.disposeNow(Duration.ofSeconds(10));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  @Test
  void aSlowClientHoldsTheChildAndADisconnectStopsIt() throws Exception {
    HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri("/yes")).build(),
        HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    try (InputStream body = response.body()) {
      byte[] start = body.readNBytes(1024);
      assertThat(new String(start, StandardCharsets.US_ASCII)).startsWith("a fairly long line");
      long pid = LeakCheck.children().get(0).pid();
      // The client reads no more: once the socket buffers have grown and filled, the child stays blocked on its
      // full pipe and its write counter stops moving.
      long[] last = {-1};
      int[] unchanged = {0};
      Await.until("yes stays blocked on its full pipe", () -> {
        long now = ProcStat.bytesWritten(pid);
        unchanged[0] = ProcStat.blockedOnPipeWrite(pid) && now == last[0] ? unchanged[0] + 1 : 0;
        last[0] = now;
        return unchanged[0] >= 100;
      });
      assertThat(last[0]).as("bytes the child wrote while the client read 1 KiB").isLessThan(64L << 20);
      // Reading resumes the child.
      body.readNBytes(16 << 20);
      Await.until("yes writes again", () -> ProcStat.bytesWritten(pid) > last[0]);
    }
    Await.until("the child is stopped after the client went away", () -> LeakCheck.children().isEmpty());
  }

  @Test
  void linesStreamAsServerSentEvents() throws Exception {
    HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri("/seq?n=3"))
        .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("text/event-stream"));
    List<String> data = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("data:")) {
          data.add(line.substring(5));
        }
      }
    }
    assertThat(data).containsExactly("1", "2", "3");
  }
}

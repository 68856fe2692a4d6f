package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.context.ContextRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

/** The subscriber's Reactor Context travels with the process. */
class ContextTest {

  /** A ThreadLocal as tracing libraries and MDC adapters keep one (slf4j-simple's own MDC is a no-op). */
  private static final ThreadLocal<String> TRACE_ID = new ThreadLocal<>();

  @AfterEach
  void disablePropagation() {
    Hooks.disableAutomaticContextPropagation();
    ContextRegistry.getInstance().removeThreadLocalAccessor("traceId");
  }

  @Test
  void theContextIsVisibleDownstreamOfOutput() {
    StepVerifier.create(Command.of("echo", "x").output()
            .flatMap(chunk -> Mono.deferContextual(ctx -> Mono.just(ctx.<String>get("user"))))
            .contextWrite(Context.of("user", "ann")))
        .expectNext("ann")
        .verifyComplete();
  }

  @Test
  void threadLocalsAreRestoredOnTheLibrarysThreadsWithAutomaticPropagation() {
    ContextRegistry.getInstance().registerThreadLocalAccessor("traceId", TRACE_ID::get, TRACE_ID::set,
        TRACE_ID::remove);
    Hooks.enableAutomaticContextPropagation();
    // The child writes only once the test opens the gate, after the subscriber has asked and found the pipe
    // empty, so the library's threads deliver the output.
    reactor.core.publisher.Sinks.One<java.nio.ByteBuffer> gate = reactor.core.publisher.Sinks.one();
    java.util.concurrent.CompletableFuture<List<String>> chunks = Command.shell("read go; echo $go; echo done")
        .input(gate.asMono())
        .output()
        .map(chunk -> Thread.currentThread().getName() + " " + TRACE_ID.get())
        .contextWrite(Context.of("traceId", "trace-42"))
        .collectList()
        .toFuture();
    gate.tryEmitValue(java.nio.ByteBuffer.wrap("go\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    List<String> seen = chunks.orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
    assertThat(seen).isNotEmpty().allSatisfy(s -> assertThat(s).endsWith(" trace-42"));
    assertThat(seen).anySatisfy(s -> assertThat(s).startsWith("subprocess-"));
  }

  @Test
  void aCommandTakesEnvironmentVariablesFromTheContext() {
    Command printTrace = Command.shell("echo \"$TRACE_ID\"").envFromContext("TRACE_ID", "traceId");
    StepVerifier.create(printTrace.lines().contextWrite(Context.of("traceId", "abc-123")))
        .expectNext("abc-123")
        .verifyComplete();
    StepVerifier.create(printTrace.env("TRACE_ID", "unset").lines())
        .expectNext("unset")
        .verifyComplete();
    StepVerifier.create(printTrace.stdout(Redirect.PIPE).run().contextWrite(Context.of("traceId", "run-7")))
        .assertNext(done -> assertThat(done.stdoutText()).isEqualTo("run-7\n"))
        .verifyComplete();
  }

  private static ByteBuffer bytes(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(ByteBuffer b) {
    return StandardCharsets.UTF_8.decode(b).toString();
  }

  @Test
  void theContextReachesTheInputOfPipe() {
    Flux<ByteBuffer> input = Flux.deferContextual(ctx -> Flux.just(bytes(ctx.get("user") + "\n")));
    StepVerifier.create(input.transform(Command.of("cat")::pipe).map(ContextTest::text)
            .contextWrite(Context.of("user", "ann")))
        .expectNext("ann\n")
        .verifyComplete();
  }

  @Test
  void theContextReachesAnInputPublisher() {
    Flux<ByteBuffer> input = Flux.deferContextual(ctx -> Flux.just(bytes(ctx.get("user") + "\n")));
    StepVerifier.create(Command.of("cat").input(input).captureOutput().run().contextWrite(Context.of("user", "bob")))
        .assertNext(done -> assertThat(done.stdoutText()).isEqualTo("bob\n"))
        .verifyComplete();
  }

  @Test
  void threadLocalsAreRestoredUpstreamOfPipeWithAutomaticPropagation() {
    ContextRegistry.getInstance().registerThreadLocalAccessor("traceId", TRACE_ID::get, TRACE_ID::set,
        TRACE_ID::remove);
    Hooks.enableAutomaticContextPropagation();
    // Buffers bigger than a pipe: the next one is asked for once cat has read the last, from a library thread.
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    Flux<ByteBuffer> input = Flux.range(0, 4).map(i -> {
      seen.add(Thread.currentThread().getName() + " " + TRACE_ID.get());
      return ByteBuffer.allocate(1 << 20);
    });
    Long total = input.transform(Command.of("cat")::pipe)
        .map(b -> (long) b.remaining())
        .reduce(0L, Long::sum)
        .contextWrite(Context.of("traceId", "trace-42"))
        .block();
    assertThat(total).isEqualTo(4L << 20);
    assertThat(seen).hasSize(4).allSatisfy(s -> assertThat(s).endsWith(" trace-42"));
  }
}

package dev.subprocess.tck;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Flux;

/** Input for the byte-stream publishers of the TCK runs. */
final class ByteStreams {
  private ByteStreams() {}

  /** An endless input: a new 4 KiB buffer of text each time one is requested. */
  static Flux<ByteBuffer> endless() {
    return Flux.generate(sink -> sink.next(ByteBuffer.wrap("0123456789abcdef\n".repeat(241)
        .getBytes(StandardCharsets.US_ASCII))));
  }

  /** One short line: a single write of the child, so a single chunk. */
  static Flux<ByteBuffer> oneLine() {
    return Flux.just("x\n").map(s -> ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII)));
  }
}

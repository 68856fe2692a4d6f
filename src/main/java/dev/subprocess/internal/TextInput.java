package dev.subprocess.internal;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import reactor.core.publisher.Mono;

/**
 * Feeds the text of {@code Command.input(String)} to stdin, encoded once with the command's encoding and
 * {@code errors} policy: {@link #encoded()} is called before the process starts, so that text the encoding
 * refuses fails the start instead of reaching the child cut short.
 */
final class TextInput implements Publisher<ByteBuffer> {
  private final String text;
  private final Charset charset;
  private final CodingErrorAction errors;
  /** The command, and its host if it runs on one, for the message of a refusal. */
  private final String command;
  private volatile ByteBuffer encoded;

  TextInput(String text, Charset charset, CodingErrorAction errors, String command) {
    this.text = text;
    this.charset = charset;
    this.errors = errors;
    this.command = command;
  }

  /**
   * Returns the encoded text in a buffer of the caller's (its bytes shared), encoding it on the first call.
   *
   * @throws IllegalArgumentException if the encoding refuses the text (see {@link TextEncoding})
   */
  ByteBuffer encoded() {
    ByteBuffer bytes = encoded;
    if (bytes == null) {
      bytes = TextEncoding.encode(text, charset, errors, "input(text) of " + command);
      encoded = bytes;
    }
    return bytes.duplicate();
  }

  @Override
  public void subscribe(Subscriber<? super ByteBuffer> subscriber) {
    Mono.fromSupplier(this::encoded).subscribe(subscriber);
  }
}

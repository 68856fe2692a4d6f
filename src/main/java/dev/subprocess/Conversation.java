package dev.subprocess;

import dev.subprocess.internal.Engine;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Talks to a running process as a person at its terminal would, in the spirit of Python's {@code pexpect}: wait
 * for a text or a pattern in its output, with a timeout, and get what came before it; send text or a line; end
 * the input. It works with a process under a {@linkplain Command#terminal() terminal} and with one whose stdin
 * and stdout are {@linkplain Redirect#PIPE pipes}.
 *
 * <p>The conversation takes over the process's stdout (or, for a terminal on stderr alone, its stderr) and stdin
 * when it is created. It reads output only while an expectation waits for it, so a process nobody expects
 * anything of is held back by the full terminal or pipe, as with any other reader; once the process has exited,
 * it reads the rest of the output, for later expectations, and so releases the stream. Output is decoded with the
 * given charset, malformed bytes replaced. A terminal echoes what is sent and ends lines with {@code \r\n}.
 * Each method returns a lazy publisher; compose them in order:
 *
 * <pre>{@code
 * Flux<String> answers = Command.of("sh", "-i").env("PS1", "$ ").terminal()
 *     .execute(p -> {
 *       Conversation shell = Conversation.of(p);
 *       Duration limit = Duration.ofSeconds(10);
 *       return shell.expect("$ ", limit)
 *           .then(shell.sendLine("echo $((6 * 7))"))
 *           .then(shell.expect(Pattern.compile("\\d+\r\n"), limit))  // the echoed line has no digits at its end
 *           .map(Conversation.Match::matched)
 *           .concatWith(shell.sendLine("exit").then(p.exitCode()).then(Mono.empty()));
 *     });
 * }</pre>
 */
public final class Conversation {
  private final RunningProcess process;
  private final CharsetDecoder decoder;
  private final Charset charset;
  private final Sinks.Many<ByteBuffer> input = Sinks.many().unicast().onBackpressureBuffer();
  private final StringBuilder unread = new StringBuilder();
  private final Output output = new Output();
  private Expectation pending;
  private boolean reading;
  private boolean ended;
  private Throwable failed;
  private volatile Throwable inputError;

  private Conversation(RunningProcess process, Charset charset) {
    this.process = process;
    this.charset = charset;
    this.decoder = charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE);
  }

  /**
   * Starts a conversation with {@code process}, decoding its output and encoding what is sent as UTF-8.
   *
   * @param process a process whose stdin and stdout (or stderr) are piped or on a terminal
   * @return a conversation that now owns the process's stdin and output
   */
  public static Conversation of(RunningProcess process) {
    return of(process, StandardCharsets.UTF_8);
  }

  /**
   * Starts a conversation with {@code process}, decoding its output and encoding what is sent with
   * {@code charset}. Subscribes at once to its output and feeds its stdin from what is sent; either stream that
   * cannot be taken (not piped, or taken already) fails the expectations or the sends that need it.
   *
   * @param process a process whose stdin and stdout (or stderr) are piped or on a terminal
   * @param charset the encoding of the conversation's text
   * @return a conversation that now owns the process's stdin and output
   */
  public static Conversation of(RunningProcess process, Charset charset) {
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(charset, "charset");
    Conversation c = new Conversation(process, charset);
    process.stdout().onErrorResume(IllegalStateException.class, notPiped -> process.stderr())
        .subscribe(c.output);
    process.writeStdin(c.input.asFlux()).subscribe(null, error -> c.inputError = error);
    process.exitCode().subscribe(code -> c.output.requestAll(), error -> c.output.requestAll());
    return c;
  }

  /**
   * Returns a {@code Mono} that waits until {@code text} appears in the output, and emits what came before it.
   * The text and what came before it are consumed: the next expectation looks at what follows.
   *
   * @param text the text to wait for, exactly
   * @param timeout how long to wait
   * @return a {@code Mono} of the match; it fails with {@link ExpectException} when the time runs out or the
   *     output ends first
   */
  public Mono<Match> expect(String text, Duration timeout) {
    Objects.requireNonNull(text, "text");
    return expect(Pattern.compile(Pattern.quote(text)), quote(text), timeout);
  }

  /**
   * Returns a {@code Mono} that waits until {@code pattern} matches the output, and emits the match with what
   * came before it. The match and what came before it are consumed. The pattern is tried on the text as it
   * arrives, so a greedy pattern may match less than it would on the whole output.
   *
   * @param pattern the pattern to find in the output
   * @param timeout how long to wait
   * @return a {@code Mono} of the match; it fails with {@link ExpectException} when the time runs out or the
   *     output ends first
   */
  public Mono<Match> expect(Pattern pattern, Duration timeout) {
    Objects.requireNonNull(pattern, "pattern");
    return expect(pattern, "/" + pattern.pattern() + "/", timeout);
  }

  /**
   * Returns a {@code Mono} that waits for the end of the output and emits everything that arrived unread.
   *
   * @param timeout how long to wait
   * @return a {@code Mono} of the rest of the output; it fails with {@link ExpectException} when the time runs
   *     out first
   */
  public Mono<String> expectEnd(Duration timeout) {
    return expect(null, "the end of the output", timeout).map(Match::before);
  }

  private Mono<Match> expect(Pattern pattern, String described, Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return Mono.<Match>create(sink -> {
      Expectation e = new Expectation(pattern, described, sink);
      synchronized (this) {
        if (pending != null) {
          sink.error(new IllegalStateException("the conversation with " + process.args() + " already waits for "
              + pending.described + ": expect one thing at a time"));
          return;
        }
        pending = e;
      }
      // The timeout claims the expectation under the same lock as a match does, so that exactly one of them ends
      // it: a match is never taken out of what is unread and then dropped by a timeout that came in between.
      Disposable timer = Schedulers.parallel().schedule(() -> timeOut(e, timeout), timeout.toNanos(),
          TimeUnit.NANOSECONDS);
      sink.onDispose(() -> {
        timer.dispose();
        synchronized (this) {
          if (pending == e) {
            pending = null;
          }
        }
      });
      progress();
    });
  }

  /** Fails {@code e} with what arrived, unless a match or the end of the output ended it first. */
  private void timeOut(Expectation e, Duration timeout) {
    String seen;
    synchronized (this) {
      if (pending != e) {
        return;
      }
      pending = null;
      seen = unread.toString();
    }
    e.sink.error(new ExpectException(process.args(), e.described, seen, timeout));
  }

  /**
   * Returns a {@code Mono} that sends {@code text} to the process's stdin, encoded, as it is. It completes once
   * the text is queued for writing; the texts sent are written in order. The text is encoded with the
   * conversation's charset and the command's {@linkplain Command#encodingErrors encodingErrors}, strictly unless
   * they say to replace or drop what the charset cannot carry, as {@link RunningProcess#write(String)} does.
   *
   * @param text the text to send
   * @return a {@code Mono} that completes once the text is queued; it fails with an
   *     {@link IllegalArgumentException} naming the command, the character and its index, sending nothing, when
   *     the charset cannot encode a character of the text and the command's encoding errors are strict
   */
  public Mono<Void> send(String text) {
    Objects.requireNonNull(text, "text");
    return Mono.defer(() -> {
      Throwable error = inputError;
      if (error != null) {
        return Mono.error(new IllegalStateException("cannot send to " + process.args() + ": " + error.getMessage(),
            error));
      }
      Sinks.EmitResult result = input.tryEmitNext(Engine.encodeSent(process, text, charset));
      return result.isSuccess() ? Mono.<Void>empty() : Mono.<Void>error(new IllegalStateException(
          "cannot send to " + process.args() + ": its input was ended (" + result + ")"));
    });
  }

  /**
   * Returns a {@code Mono} that sends {@code line} followed by a newline, as pressing Enter does.
   *
   * @param line the line to send, without its newline
   * @return a {@code Mono} that completes once the line is queued
   */
  public Mono<Void> sendLine(String line) {
    Objects.requireNonNull(line, "line");
    return send(line + "\n");
  }

  /**
   * Returns a {@code Mono} that ends the process's input once what was sent is written: it closes a pipe, and
   * types Ctrl-D at a terminal.
   *
   * @return a {@code Mono} that completes once the end is queued
   */
  public Mono<Void> sendEof() {
    return Mono.fromRunnable(input::tryEmitComplete);
  }

  /** Matches what is unread, or asks for more output when nothing matches. */
  private void progress() {
    MonoSink<Match> done = null;
    Match match = null;
    Throwable error = null;
    boolean request = false;
    synchronized (this) {
      Expectation e = pending;
      if (e == null) {
        return;
      }
      if (e.pattern != null) {
        Matcher m = e.pattern.matcher(unread);
        if (m.find()) {
          List<String> groups = new ArrayList<>(m.groupCount() + 1);
          for (int i = 0; i <= m.groupCount(); i++) {
            groups.add(m.group(i));
          }
          match = new Match(unread.substring(0, m.start()), m.group(), groups);
          unread.delete(0, m.end());
        }
      } else if (ended && failed == null) {
        match = new Match(unread.toString(), "", List.of(""));
        unread.setLength(0);
      }
      if (match != null) {
        done = e.sink;
        pending = null;
      } else if (ended) {
        done = e.sink;
        pending = null;
        error = failed != null ? failed : new ExpectException(process.args(), e.described, unread.toString(), null);
      } else if (!reading) {
        reading = true;
        request = true;
      }
    }
    if (done != null) {
      if (error != null) {
        done.error(error);
      } else {
        done.success(match);
      }
    } else if (request) {
      output.request();
    }
  }

  /** Returns {@code text} in double quotes, with the control characters a terminal sends escaped. */
  static String quote(String text) {
    StringBuilder s = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\r' -> s.append("\\r");
        case '\n' -> s.append("\\n");
        case '\t' -> s.append("\\t");
        case '"' -> s.append("\\\"");
        case '\\' -> s.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            s.append(String.format("\\u%04x", (int) c));
          } else {
            s.append(c);
          }
        }
      }
    }
    return s.append('"').toString();
  }

  /**
   * Describes what an expectation found: the text that came before the match, the matched text, and the groups
   * of the pattern.
   *
   * @param before the output between the previous match and this one
   * @param matched the matched text; empty for the end of the output
   * @param groups the matched text followed by the pattern's capturing groups, a group that took no part null
   */
  public record Match(String before, String matched, List<String> groups) {

    /** Copies the groups. */
    public Match {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(matched, "matched");
      groups = java.util.Collections.unmodifiableList(new ArrayList<>(groups));
    }

    /**
     * Returns capturing group {@code index} of the match; group 0 is the whole match.
     *
     * @param index the group's number
     * @return the group's text, or null when it took no part in the match
     * @throws IndexOutOfBoundsException if the pattern has no such group
     */
    public String group(int index) {
      return groups.get(index);
    }
  }

  private record Expectation(Pattern pattern, String described, MonoSink<Match> sink) {}

  /** Reads the process's output one chunk per request, decoding it into what is unread. */
  private final class Output implements CoreSubscriber<ByteBuffer> {
    private volatile Subscription subscription;
    private final Object requests = new Object();
    private ByteBuffer leftover = ByteBuffer.allocate(0);

    @Override
    public void onSubscribe(Subscription s) {
      subscription = s;
    }

    void request() {
      request(1);
    }

    /** Reads the rest at once, for a process that has exited: its output is then released at its end. */
    void requestAll() {
      request(Long.MAX_VALUE);
    }

    /**
     * Requests {@code n} more chunks. Requests come from the expecting thread, a timer and the exit's thread: the
     * lock keeps them serial (Reactive Streams rule 2.7). Nothing holds the conversation's lock while it waits here.
     */
    private void request(long n) {
      Subscription s = subscription;
      if (s != null) {
        synchronized (requests) {
          s.request(n);
        }
      }
    }

    @Override
    public void onNext(ByteBuffer chunk) {
      ByteBuffer bytes = chunk;
      if (leftover.hasRemaining()) {
        bytes = ByteBuffer.allocate(leftover.remaining() + chunk.remaining()).put(leftover).put(chunk).flip();
      }
      CharBuffer chars = CharBuffer.allocate((int) (bytes.remaining() * (double) decoder.maxCharsPerByte()) + 1);
      decoder.decode(bytes, chars, false);
      leftover = bytes.hasRemaining() ? ByteBuffer.allocate(bytes.remaining()).put(bytes).flip() : bytes;
      synchronized (Conversation.this) {
        unread.append(chars.flip());
        reading = false;
      }
      progress();
    }

    @Override
    public void onError(Throwable error) {
      synchronized (Conversation.this) {
        ended = true;
        failed = error;
        reading = false;
      }
      progress();
    }

    @Override
    public void onComplete() {
      CharBuffer chars = CharBuffer.allocate(leftover.remaining() * 2 + 2);
      decoder.decode(leftover, chars, true);
      decoder.flush(chars);
      synchronized (Conversation.this) {
        unread.append(chars.flip());
        ended = true;
        reading = false;
      }
      progress();
    }
  }
}

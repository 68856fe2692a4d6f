package dev.subprocess;

import java.time.Duration;
import java.util.List;

/**
 * Signals that a {@link Conversation} did not see what it expected: the time ran out, or the process's output
 * ended first. The message names the command, what was expected and the last of what arrived, so that a
 * conversation that went wrong can be read from the error alone.
 *
 * <pre>{@code
 * conversation.expect("Password: ", Duration.ofSeconds(5))
 *     .onErrorResume(ExpectException.class, e -> Mono.error(new IllegalStateException(
 *         "no password prompt; the program said " + e.received(), e)));
 * }</pre>
 */
public final class ExpectException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** How much of the text received the message quotes, at most. */
  private static final int QUOTED = 512;

  /** The argv of the process, an immutable copy. */
  @SuppressWarnings("serial") // an immutable list from List.copyOf, which is serializable
  private final List<String> command;
  /** What was expected, described. */
  private final String expected;
  /** The unread text when the expectation failed. */
  private final String received;
  /** Whether the output ended, rather than the time ran out. */
  private final boolean endOfOutput;

  ExpectException(List<String> command, String expected, String received, Duration timeout) {
    super(message(command, expected, received, timeout));
    this.command = List.copyOf(command);
    this.expected = expected;
    this.received = received;
    this.endOfOutput = timeout == null;
  }

  private static String message(List<String> command, String expected, String received, Duration timeout) {
    String tail = received.length() <= QUOTED ? received : "..." + received.substring(received.length() - QUOTED);
    return (timeout == null
        ? "The output of " + command + " ended before " + expected + " appeared"
        : "The output of " + command + " did not show " + expected + " within " + timeout)
        + (received.isEmpty() ? "; nothing unread had arrived." : "; unread so far: " + Conversation.quote(tail));
  }

  /**
   * Returns the argv of the process the conversation was with.
   *
   * @return the program followed by its arguments
   */
  public List<String> command() {
    return command;
  }

  /**
   * Returns what was expected, as the message quotes it: a quoted text or a pattern.
   *
   * @return the expected text or pattern, described
   */
  public String expected() {
    return expected;
  }

  /**
   * Returns the text that had arrived since the last match, none of which matched.
   *
   * @return the unread text, possibly empty
   */
  public String received() {
    return received;
  }

  /**
   * Tells whether the output ended before the expected text appeared, rather than the time running out.
   *
   * @return true at end of output, false on a timeout
   */
  public boolean endOfOutput() {
    return endOfOutput;
  }
}

package dev.subprocess.internal;

import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.reactivestreams.Publisher;
import reactor.util.context.ContextView;

/**
 * Describes one run of a command: what to launch, what to feed it, how long it may take, whether a non-zero
 * return code is an error, how to decode its text, and how to stop it.
 *
 * @param launch what the backend starts
 * @param input what is written to stdin, or null for nothing
 * @param timeout the time limit of the run, or null for none
 * @param check whether a non-zero return code fails the run
 * @param encoding the charset of text input and output
 * @param decodingErrors what decoding does with malformed input: REPORT (fail), REPLACE or IGNORE
 * @param killSignal the first signal of the stop policy
 * @param killGrace how long the stop policy waits before SIGKILL
 * @param drainTimeout how long output is awaited, without news, once the process has exited
 * @param contextEnvironment environment variables taken from the subscriber's Context: variable to key
 * @param maxLineLength the most characters a line of {@code lines()} may have
 * @param captureLimit the most bytes a run captures of each stream
 * @param unreadBufferLimit how many bytes of an owned output stream are held for a subscriber that has not come
 * @param launcher the launcher of the command's host, or null for this machine's backend
 * @param okExitCodes the return codes besides zero that {@code check} and the streaming operations take as success
 */
public record RunSpec(
    LaunchSpec launch,
    Publisher<ByteBuffer> input,
    Duration timeout,
    boolean check,
    Charset encoding,
    CodingErrorAction decodingErrors,
    int killSignal,
    Duration killGrace,
    Duration drainTimeout,
    Map<String, Object> contextEnvironment,
    int maxLineLength,
    int captureLimit,
    int unreadBufferLimit,
    Launcher launcher,
    int[] okExitCodes) {

  /** Returns this spec with the input replaced. */
  public RunSpec withInput(Publisher<ByteBuffer> newInput) {
    return new RunSpec(launch, newInput, timeout, check, encoding, decodingErrors, killSignal, killGrace,
        drainTimeout, contextEnvironment, maxLineLength, captureLimit, unreadBufferLimit, launcher,
        okExitCodes);
  }

  /** Returns this spec with the launch replaced. */
  public RunSpec withLaunch(LaunchSpec newLaunch) {
    return new RunSpec(newLaunch, input, timeout, check, encoding, decodingErrors, killSignal, killGrace,
        drainTimeout, contextEnvironment, maxLineLength, captureLimit, unreadBufferLimit, launcher,
        okExitCodes);
  }

  /** Tells whether {@code returnCode} is a success: zero, or one of the {@link #okExitCodes()}. */
  public boolean isSuccess(int returnCode) {
    if (returnCode == 0) {
      return true;
    }
    for (int ok : okExitCodes) {
      if (ok == returnCode) {
        return true;
      }
    }
    return false;
  }

  /** Returns this spec with the variables taken from {@code context} added to the environment. */
  RunSpec resolve(ContextView context) {
    if (contextEnvironment.isEmpty()) {
      return this;
    }
    Map<String, String> additions = new LinkedHashMap<>(launch.environmentAdditions());
    contextEnvironment.forEach((variable, key) -> context.<Object>getOrEmpty(key)
        .ifPresent(value -> additions.put(variable, String.valueOf(value))));
    return withLaunch(launch.withEnvironmentAdditions(additions));
  }
}

package dev.subprocess;

import dev.subprocess.internal.Pipefail;
import java.util.List;

/**
 * Describes a pipeline that has finished: how each stage ended and what was captured. The pipeline's return
 * code is that of {@code set -o pipefail}: the rightmost non-zero code of a stage, or zero; except that an
 * earlier stage killed by SIGPIPE, because a later stage stopped reading (as {@code head} does), is no failure.
 *
 * <pre>{@code
 * CompletedPipeline done = Command.of("sort", "access.log")
 *     .pipeTo(Command.of("uniq", "-c"))
 *     .run()
 *     .block();
 * List<Integer> codes = done.stages().stream().map(CompletedProcess::returnCode).toList();
 * }</pre>
 *
 * @param stages the result of each stage, in order; only the last stage's stdout can be captured
 */
public record CompletedPipeline(List<CompletedProcess> stages) {

  /** Copies the list of stages. */
  public CompletedPipeline {
    stages = List.copyOf(stages);
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("a pipeline has at least one stage");
    }
  }

  /**
   * Returns the rightmost failing stage's return code, or zero when every stage succeeded.
   *
   * @return the pipeline's return code under {@code pipefail}, SIGPIPE of an earlier stage excepted
   */
  public int returnCode() {
    CompletedProcess failed = rightmostFailure();
    return failed == null ? 0 : failed.returnCode();
  }

  /**
   * Returns the captured stdout of the last stage, or null when it was not captured.
   *
   * @return the last stage's stdout bytes, not copied, or null
   */
  public byte[] stdout() {
    return last().stdout();
  }

  /**
   * Returns the last stage's stdout decoded as text with universal newlines, or null when not captured.
   *
   * @return the pipeline's output as text, or null
   */
  public String stdoutText() {
    return last().stdoutText();
  }

  /**
   * Returns this result when every stage returned zero, and throws otherwise.
   *
   * @return this result, unchanged, for chaining
   * @throws CalledProcessException for the rightmost stage that returned non-zero
   */
  public CompletedPipeline checkReturnCode() {
    CompletedProcess failed = rightmostFailure();
    if (failed != null) {
      failed.checkReturnCode();
    }
    return this;
  }

  private CompletedProcess last() {
    return stages.get(stages.size() - 1);
  }

  private CompletedProcess rightmostFailure() {
    for (int i = stages.size() - 1; i >= 0; i--) {
      if (Pipefail.isFailure(i, stages.size(), stages.get(i).returnCode())) {
        return stages.get(i);
      }
    }
    return null;
  }
}

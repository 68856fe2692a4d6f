package dev.subprocess;

import dev.subprocess.internal.Pipefail;
import java.util.ArrayList;
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
 * List<Integer> codes = done.returnCodes();           // [0, 0] when both stages succeeded
 * done.checkReturnCodes();                             // throws PipelineException if a stage failed
 * }</pre>
 *
 * <p>Python 3.15's {@code PipelineResult}: {@link #returnCodes()} is its {@code returncodes}, {@link #returnCode()}
 * its {@code returncode}, {@link #checkReturnCodes()} its {@code check_returncodes()}. Each stage's stderr is kept
 * apart in {@link #stages()} instead of interleaved in one pipe.
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
   * Returns every stage's return code, in order: Python's {@code PipelineResult.returncodes}.
   *
   * @return the return codes, {@code -N} for a stage killed by signal N, as an unmodifiable list
   */
  public List<Integer> returnCodes() {
    List<Integer> codes = new ArrayList<>(stages.size());
    for (CompletedProcess stage : stages) {
      codes.add(stage.returnCode());
    }
    return List.copyOf(codes);
  }

  /**
   * Returns this result when no stage failed, and throws otherwise: Python's
   * {@code PipelineResult.check_returncodes()}. A stage fails when it returned non-zero, except an earlier stage
   * killed by SIGPIPE. A result does not know its commands' {@link Command#okExitCodes(int...)}, as
   * {@link CompletedProcess#checkReturnCode()} does not: a {@linkplain Pipeline#check() checked} run applies them.
   *
   * @return this result, unchanged, for chaining
   * @throws PipelineException naming every failed stage, when one failed
   */
  public CompletedPipeline checkReturnCodes() {
    if (!failures().isEmpty()) {
      throw new PipelineException(this);
    }
    return this;
  }

  /**
   * Returns this result when no stage failed, and throws otherwise; the same as {@link #checkReturnCodes()}, named
   * as {@link CompletedProcess#checkReturnCode()} is.
   *
   * @return this result, unchanged, for chaining
   * @throws PipelineException naming every failed stage, when one failed; it is a {@link CalledProcessException}
   *     about the rightmost failed stage
   */
  public CompletedPipeline checkReturnCode() {
    return checkReturnCodes();
  }

  /** Returns the stages that failed, from left to right. */
  List<PipelineException.FailedStage> failures() {
    List<PipelineException.FailedStage> failed = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      int code = stages.get(i).returnCode();
      if (Pipefail.isFailure(i, stages.size(), code)) {
        failed.add(new PipelineException.FailedStage(i, code));
      }
    }
    return List.copyOf(failed);
  }

  private CompletedProcess last() {
    return stages.get(stages.size() - 1);
  }

  private CompletedProcess rightmostFailure() {
    List<PipelineException.FailedStage> failed = failures();
    return failed.isEmpty() ? null : stages.get(failed.get(failed.size() - 1).index());
  }
}

package dev.subprocess.internal;

import dev.subprocess.PipelineException.FailedStage;
import dev.subprocess.Signals;
import java.util.ArrayList;
import java.util.List;

/**
 * Says which stage of a pipeline failed, as {@code set -o pipefail} would, with one exception: an earlier stage
 * killed by SIGPIPE is not a failure, because that is how a stage learns that a later one stopped reading (as
 * {@code head} does), just as Python's "replacing shell pipeline" recipe intends.
 */
public final class Pipefail {
  private Pipefail() {}

  /**
   * Tells whether stage {@code index} of {@code stages}, which returned {@code code}, failed the pipeline. A
   * backend that cannot tell a signal from an exit status reports SIGPIPE as {@code 128 + 13}.
   */
  public static boolean isFailure(int index, int stages, int code) {
    if (code == 0) {
      return false;
    }
    boolean sigpipe = code == -Signals.SIGPIPE || code == 128 + Signals.SIGPIPE;
    return index == stages - 1 || !sigpipe;
  }

  /**
   * Returns the stages of a pipeline that failed, from left to right, given each stage's spec and return code: a
   * stage fails as {@link #isFailure} says, unless its code is one of its command's {@code okExitCodes}.
   */
  static List<FailedStage> failures(List<RunSpec> stages, List<Integer> codes) {
    List<FailedStage> failed = new ArrayList<>();
    for (int i = 0; i < stages.size(); i++) {
      int code = codes.get(i);
      if (isFailure(i, stages.size(), code) && !stages.get(i).isSuccess(code)) {
        failed.add(new FailedStage(i, code));
      }
    }
    return failed;
  }
}

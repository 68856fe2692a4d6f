package dev.subprocess.internal;

import dev.subprocess.Signals;

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
}

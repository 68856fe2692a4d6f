package dev.subprocess;

import java.util.ArrayList;
import java.util.List;

/**
 * Signals that a pipeline ended with a failing stage: Python 3.15's {@code PipelineError}. It carries every
 * stage's return code ({@link #returnCodes()}, Python's {@code returncodes}), the stages that failed
 * ({@link #failed()}, Python's {@code failed}) and the finished pipeline with what was captured
 * ({@link #result()}).
 *
 * <p>A stage fails as under {@code set -o pipefail}: a non-zero return code, except that an earlier stage killed by
 * SIGPIPE, because a later stage stopped reading (as {@code head} does), is no failure, and so is a code its command
 * takes as success ({@link Command#okExitCodes(int...)}) when the pipeline runs.
 *
 * <p>It is a {@link CalledProcessException}, so code that caught a pipeline's failure as one keeps working: there,
 * {@link #command()}, {@link #returnCode()}, {@link #stderr()} and {@link #workingDirectory()} describe the
 * rightmost failing stage, whose return code is the pipeline's under {@code pipefail}, and {@link #stdout()} is the
 * last stage's captured stdout. Python makes {@code PipelineError} a sibling of {@code CalledProcessError} instead;
 * here the pipeline's failure was a {@code CalledProcessException} before this type existed.
 *
 * <p>The message starts with {@code Pipeline failed:}, names every stage by its command, then each failed stage
 * (numbered from 1, as a person counts them) with its status, working directory and the tail of its stderr when
 * it was captured.
 *
 * <pre>{@code
 * Mono<String> counted = Command.of("grep", "-c", "ERROR", "app.log")
 *     .pipeTo(Command.of("tee", "errors.count"))
 *     .captureOutput().check().run()
 *     .map(CompletedPipeline::stdoutText)
 *     .onErrorResume(PipelineException.class, e ->
 *         e.failed().equals(List.of(new PipelineException.FailedStage(0, 1)))
 *             ? Mono.just("0\n")                   // grep found nothing, the only failure
 *             : Mono.error(e));
 * }</pre>
 */
public final class PipelineException extends CalledProcessException {
  private static final long serialVersionUID = 1L;

  /** Every stage's argv, in order. */
  @SuppressWarnings("serial") // immutable lists from List.copyOf, which are serializable
  private final List<List<String>> commands;
  /** Every stage's return code, in order. */
  @SuppressWarnings("serial") // an immutable list from List.copyOf, which is serializable
  private final List<Integer> returnCodes;
  /** The stages that failed, from left to right. */
  @SuppressWarnings("serial") // an immutable list of records of ints, serializable
  private final List<FailedStage> failed;
  private final transient CompletedPipeline result;

  /**
   * Names one stage that failed the pipeline, by its place in the pipeline and its return code: one element of
   * Python's {@code PipelineError.failed}.
   *
   * <pre>{@code
   * FailedStage grep = e.failed().get(0);
   * List<String> command = e.commands().get(grep.index());
   * }</pre>
   *
   * @param index the stage's position in the pipeline, from 0 (as in {@link CompletedPipeline#stages()} and
   *     bash's {@code PIPESTATUS})
   * @param returnCode the stage's non-zero exit status, or {@code -N} when it was killed by signal N
   */
  public record FailedStage(int index, int returnCode) implements java.io.Serializable {}

  /**
   * Creates the exception for a pipeline that ended as {@code result} describes.
   *
   * @param result every stage as it ended; at least one stage failed
   * @throws IllegalArgumentException if no stage of {@code result} failed
   */
  public PipelineException(CompletedPipeline result) {
    this(result, result.failures());
  }

  /**
   * Creates the exception for a pipeline that ended as {@code result} describes, whose failed stages are
   * {@code failed}: for example without the stages whose command took their code as success
   * ({@link Command#okExitCodes(int...)}).
   *
   * @param result every stage as it ended
   * @param failed the stages that failed, from left to right; at least one, each naming a stage of {@code result}
   *     with its return code
   * @throws IllegalArgumentException if {@code failed} is empty or does not match {@code result}
   */
  public PipelineException(CompletedPipeline result, List<FailedStage> failed) {
    this(result, List.copyOf(failed), rightmost(result, failed));
  }

  private PipelineException(CompletedPipeline result, List<FailedStage> failed, CompletedProcess rightmost) {
    super(rightmost.args(), rightmost.workingDirectory(), rightmost.returnCode(), result.stdout(),
        rightmost.stderr(), ErrorText.pipelineFailed(result.stages(), failed));
    List<List<String>> argv = new ArrayList<>(result.stages().size());
    for (CompletedProcess stage : result.stages()) {
      argv.add(stage.args());
    }
    this.commands = List.copyOf(argv);
    this.returnCodes = result.returnCodes();
    this.failed = failed;
    this.result = result;
  }

  private static CompletedProcess rightmost(CompletedPipeline result, List<FailedStage> failed) {
    if (failed.isEmpty()) {
      throw new IllegalArgumentException("no stage of the pipeline failed: return codes " + result.returnCodes());
    }
    for (FailedStage stage : failed) {
      if (stage.index() < 0 || stage.index() >= result.stages().size()
          || result.stages().get(stage.index()).returnCode() != stage.returnCode()) {
        throw new IllegalArgumentException(stage + " is not a stage of the pipeline with return codes "
            + result.returnCodes());
      }
    }
    return result.stages().get(failed.get(failed.size() - 1).index());
  }

  /**
   * Returns every stage's argv, in order: Python's {@code commands}.
   *
   * @return one unmodifiable argv per stage
   */
  public List<List<String>> commands() {
    return commands;
  }

  /**
   * Returns every stage's return code, in order, those that succeeded too: Python's {@code returncodes}.
   *
   * @return the return codes, {@code -N} for a stage killed by signal N, as an unmodifiable list
   */
  public List<Integer> returnCodes() {
    return returnCodes;
  }

  /**
   * Returns the stages that failed the pipeline, from left to right: Python's {@code failed}. A stage killed by
   * SIGPIPE before the last is not among them.
   *
   * @return at least one failed stage, as an unmodifiable list
   */
  public List<FailedStage> failed() {
    return failed;
  }

  /**
   * Returns the finished pipeline: each stage's return code, working directory and what was captured of its
   * output (for {@link Pipeline#output()} and {@link Pipeline#lines()}, whose stdout was streamed, the tail of
   * each stage's stderr and no stdout).
   *
   * @return the result of every stage, or null after deserialization (it is not serialized)
   */
  public CompletedPipeline result() {
    return result;
  }
}

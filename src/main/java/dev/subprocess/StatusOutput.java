package dev.subprocess;

/**
 * Holds what {@link Subprocess#getStatusOutput(String)} returns: the return code and the combined stdout and
 * stderr as text, without its trailing newline. Python's {@code (exitcode, output)} tuple.
 *
 * <pre>{@code
 * StatusOutput result = Subprocess.getStatusOutput("ls /nonexistent").block();
 * if (result.status() != 0) {
 *   log.warn("ls failed with {}: {}", result.status(), result.output());
 * }
 * }</pre>
 *
 * @param status the return code, {@code -N} when the shell was killed by signal {@code N}
 * @param output stdout and stderr together, decoded as UTF-8 with universal newlines, one trailing newline removed
 */
public record StatusOutput(int status, String output) {}

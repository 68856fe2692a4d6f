package dev.subprocess.pool;

import dev.subprocess.Command;
import java.nio.file.Path;

/** The worker programs of the pool tests: real processes, written in sh so that nothing but a shell is needed. */
final class Workers {
  private Workers() {}

  /** {@code sed -u 's/^/ok:/'}: answers each line at once. */
  static Command sed() {
    return Command.of("sed", "-u", "s/^/ok:/");
  }

  /**
   * A read-eval loop in sh: {@code pid} answers the worker's pid, {@code crash} writes to stderr and exits with 3,
   * {@code hang} never answers, {@code sleep S} answers after S seconds, {@code wait F} answers once file F
   * exists, {@code say X} answers X, and anything else is evaluated as arithmetic.
   */
  static Command repl() {
    return Command.shell("while IFS= read -r line; do\n"
        + "  case $line in\n"
        + "    pid) echo $$ ;;\n"
        + "    crash) echo \"crashing on request: $line\" >&2; exit 3 ;;\n"
        + "    hang) exec sleep 1000 ;;\n"
        + "    'sleep '*) sleep \"${line#sleep }\"; echo \"slept ${line#sleep }\" ;;\n"
        + "    'wait '*) while [ ! -e \"${line#wait }\" ]; do sleep 0.01; done; echo \"waited\" ;;\n"
        + "    'say '*) echo \"${line#say }\" ;;\n"
        + "    *) echo $(( $line )) ;;\n"
        + "  esac\n"
        + "done");
  }

  /** An awk program that multiplies the two numbers of each line, answering line by line. */
  static Command awk() {
    String program = "{ print $1 * $2; fflush() }";
    return Command.shell("if awk -W version 2>/dev/null | grep -q mawk; then exec awk -W interactive '" + program
        + "'; else exec awk '" + program + "'; fi");
  }

  /**
   * A read loop in sh: {@code pid} answers the worker's pid, {@code say X} answers X, and {@code flood} answers
   * with one endless line, never ending it.
   */
  static Command flooder() {
    return Command.shell("while IFS= read -r line; do\n"
        + "  case $line in\n"
        + "    pid) echo $$ ;;\n"
        + "    'say '*) echo \"${line#say }\" ;;\n"
        + "    flood) exec cat /dev/zero ;;\n"
        + "  esac\n"
        + "done");
  }

  /** A worker that dies before it reads anything: a broken setup. */
  static Command exitsAtOnce() {
    return Command.shell("echo 'cannot load the model' >&2; exit 2");
  }

  static String waitFor(Path file) {
    return "wait " + file;
  }
}

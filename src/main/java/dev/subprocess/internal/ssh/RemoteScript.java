package dev.subprocess.internal.ssh;

import dev.subprocess.internal.LaunchSpec;
import dev.subprocess.internal.Stream;
import java.util.List;
import java.util.Map;

/**
 * Writes the command line sent to the server, which runs it with the user's login shell (a POSIX shell): every
 * argument single-quoted so that nothing is re-split or expanded, the working directory and environment set by
 * the shell (so the server's {@code AcceptEnv} does not matter), the remote pid reported on the first line of
 * stdout, then {@code exec}, so that the process keeps that pid and receives the channel's signals.
 */
final class RemoteScript {
  /** What the first line of stdout says when the working directory could not be entered. */
  static final String NO_CWD = "subprocess:nocwd";

  private RemoteScript() {}

  /** Returns the remote command line of {@code spec}. */
  static String of(LaunchSpec spec) {
    return script(spec, "", false, false);
  }

  /**
   * Returns the command line of stage {@code index} of {@code count}, whose stdin and stdout are the named
   * pipes {@code dir/(index-1)} and {@code dir/index} between the stages. Once it has opened them, the stage
   * removes them and tries to remove {@code dir}: the last stage to get there removes it.
   */
  static String stage(LaunchSpec spec, String dir, int index, int count) {
    boolean joinedIn = index > 0;
    boolean joinedOut = index < count - 1;
    StringBuilder join = new StringBuilder(" exec");
    StringBuilder remove = new StringBuilder(" rm -f");
    if (joinedIn) {
      String fifo = quote(dir + "/" + (index - 1));
      join.append(" <").append(fifo);
      remove.append(' ').append(fifo);
    }
    if (joinedOut) {
      String fifo = quote(dir + "/" + index);
      join.append(" >").append(fifo);
      remove.append(' ').append(fifo);
    }
    String prelude = join + ";" + remove + "; rmdir " + quote(dir) + " 2>/dev/null;";
    return script(spec, prelude, joinedIn, joinedOut);
  }

  private static String script(LaunchSpec spec, String prelude, boolean joinedIn, boolean joinedOut) {
    StringBuilder s = new StringBuilder();
    if (spec.cwd() != null) {
      s.append("cd -- ").append(quote(spec.cwd().toString())).append(" || { echo ").append(NO_CWD)
          .append("; exit 126; }; ");
    }
    s.append("echo $$;").append(prelude).append(" exec");
    if (spec.environment() != null || !spec.environmentAdditions().isEmpty()) {
      s.append(" env");
      if (spec.environment() != null) {
        s.append(" -i");
      }
      s.append(" --");
      if (spec.environment() != null) {
        assignments(s, spec.environment());
      }
      assignments(s, spec.environmentAdditions());
    }
    for (String arg : spec.argv()) {
      s.append(' ').append(quote(arg));
    }
    if (!joinedIn) {
      s.append(stdin(spec.stdinStream()));
    }
    if (!joinedOut) {
      s.append(output(spec.stdoutStream(), 1));
    }
    Stream stderr = spec.stderrStream();
    s.append(stderr.type() == Stream.Type.STDOUT ? " 2>&1" : output(stderr, 2));
    return s.toString();
  }

  private static void assignments(StringBuilder s, Map<String, String> env) {
    env.forEach((name, value) -> s.append(' ').append(quote(name + "=" + value)));
  }

  private static String stdin(Stream r) {
    return r.type() == Stream.Type.PIPE ? "" : " </dev/null";
  }

  private static String output(Stream r, int fd) {
    return r.type() == Stream.Type.DEVNULL ? " " + fd + ">/dev/null" : "";
  }

  /** Quotes {@code word} for a POSIX shell: single quotes, each inner single quote written as {@code '\''}. */
  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  /** Quotes each of {@code words} and joins them with spaces. */
  static String quoteAll(List<String> words) {
    StringBuilder s = new StringBuilder();
    for (String w : words) {
      if (s.length() > 0) {
        s.append(' ');
      }
      s.append(quote(w));
    }
    return s.toString();
  }
}

package dev.subprocess.internal.ssh;

import dev.subprocess.internal.ChildProcess;
import dev.subprocess.internal.LaunchSpec;
import dev.subprocess.internal.SignalNumbers;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the stages of a pipeline on the remote host, joined there: a temporary directory of named pipes is
 * made first, then each stage is its own channel (its own pid, exit status, stderr and signals) whose shell
 * opens the pipes to its neighbours before it runs the command. The bytes between stages never leave the host.
 */
final class RemotePipeline {
  private RemotePipeline() {}

  static List<ChildProcess> start(SshLauncher launcher, List<LaunchSpec> stages) {
    int count = stages.size();
    StringBuilder prepare = new StringBuilder("d=$(mktemp -d) && cd \"$d\" && mkfifo");
    for (int i = 0; i < count - 1; i++) {
      prepare.append(' ').append(i);
    }
    prepare.append(" && echo \"$d\"");
    String dir = launcher.runToEnd(stages.get(0), prepare.toString()).strip();
    List<ChildProcess> children = new ArrayList<>(count);
    try {
      for (int i = 0; i < count; i++) {
        children.add(launcher.startScript(stages.get(i), RemoteScript.stage(stages.get(i), dir, i, count),
            i > 0, i < count - 1));
      }
    } catch (RuntimeException e) {
      for (ChildProcess child : children) {
        child.signal(SignalNumbers.SIGKILL, false);
        child.release();
      }
      launcher.runToEnd(stages.get(0), "rm -rf " + RemoteScript.quote(dir));
      throw e;
    }
    return children;
  }
}

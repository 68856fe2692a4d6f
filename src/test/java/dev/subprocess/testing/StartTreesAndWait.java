package dev.subprocess.testing;

import dev.subprocess.Command;
import dev.subprocess.Redirect;
import dev.subprocess.RunningProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A program for a child JVM: starts two shells that each start two {@code sleep 1000} in the background (one shell
 * in a process group of its own, the default, and one in the JVM's group), prints the pids of both trees on one
 * line, and waits to be killed.
 */
public final class StartTreesAndWait {
  private StartTreesAndWait() {}

  public static void main(String[] args) throws InterruptedException {
    Command tree = Command.shell("sleep 1000 & sleep 1000 & wait").stdin(Redirect.DEVNULL);
    List<Long> pids = new ArrayList<>();
    for (RunningProcess sh : List.of(tree.start().block(), tree.inheritProcessGroup().start().block())) {
      ProcessHandle handle = ProcessHandle.of(sh.pid()).orElseThrow();
      Await.until("both sleeps of " + sh.pid() + " have started", () -> handle.children().count() == 2);
      pids.add(sh.pid());
      handle.children().forEach(child -> pids.add(child.pid()));
    }
    System.out.println(pids.stream().map(String::valueOf).collect(Collectors.joining(" ")));
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}

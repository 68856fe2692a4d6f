package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.ProcStat;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** The stop policy reaches the descendants of the process: a timeout or a cancel leaves nothing running. */
class GrandchildrenTest {
  /** Starts a background sleep, prints its pid, and waits for it, as {@code sh -c 'sleep 41; echo x'} would. */
  private static final Command SHELL = Command.shell("sleep 1000 & echo $!; wait").stdin(Redirect.DEVNULL);

  @Test
  void aTimeoutStopsTheGrandchild() {
    // The limit must pass after the shell printed its pid: lengthened until it does on this machine.
    for (long seconds = 1; ; seconds *= 2) {
      List<String> lines = new CopyOnWriteArrayList<>();
      Throwable error = SHELL.timeout(Duration.ofSeconds(seconds)).lines()
          .doOnNext(lines::add)
          .then(Mono.<Throwable>empty())
          .onErrorResume(Mono::just)
          .block(Duration.ofSeconds(seconds + 60));
      assertThat(error).isInstanceOf(TimeoutExpiredException.class);
      if (!lines.isEmpty()) {
        long sleep = Long.parseLong(lines.get(0));
        Await.until("the grandchild " + sleep + " has ended", () -> ProcStat.ended(sleep));
        return;
      }
    }
  }

  @Test
  void aCancelStopsTheGrandchild() {
    long sleep = Long.parseLong(SHELL.lines().next().block(Duration.ofSeconds(60)));
    Await.until("the grandchild " + sleep + " has ended", () -> ProcStat.ended(sleep));
  }

  @Test
  void aGrandchildThatIgnoresTheKillSignalIsKilledWhenTheChildDies() {
    Command shell = Command.shell("(trap '' TERM; exec sleep 1000) & echo $!; wait").stdin(Redirect.DEVNULL);
    long sleep = Long.parseLong(shell.lines().next().block(Duration.ofSeconds(60)));
    Await.until("the grandchild " + sleep + " has ended", () -> ProcStat.ended(sleep));
  }

  @Test
  void aGrandchildOfAChildInTheJvmsGroupIsStoppedToo() {
    long sleep = Long.parseLong(SHELL.inheritProcessGroup().lines().next().block(Duration.ofSeconds(60)));
    Await.until("the grandchild " + sleep + " has ended", () -> ProcStat.ended(sleep));
  }

  @Test
  void everyChildLeadsAProcessGroupUnlessToldOtherwise() {
    assumeTrue(Engine.backendName().equals("linux"), "the jdk backend cannot set a process group");
    Command sh = Command.shell("echo started; read x").stdin(Redirect.PIPE).stdout(Redirect.PIPE);
    assertThat(groupOf(sh)).as("the child's group").isEqualTo(-1L);
    assertThat(groupOf(sh.inheritProcessGroup())).as("the child's group")
        .isEqualTo(ProcStat.processGroup(ProcessHandle.current().pid()));
  }

  /** Returns the process group of the command's process, or -1 when it is the process's own. */
  private static long groupOf(Command command) {
    return command.execute(p -> p.stdout().take(1).map(started -> {
      long group = ProcStat.processGroup(p.pid());
      return group == p.pid() ? -1L : group;
    })).blockFirst(Duration.ofSeconds(60));
  }
}

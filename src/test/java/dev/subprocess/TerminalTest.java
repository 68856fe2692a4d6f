package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.Await;
import dev.subprocess.testing.EpollSet;
import dev.subprocess.testing.ProcStat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Runs real programs under a pseudo-terminal, on the linux backend (the jdk backend's refusal is tested too). */
class TerminalTest {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  private static boolean linux() {
    return Engine.backendName().equals("linux");
  }

  @BeforeEach
  void onlyOnTheLinuxBackend(org.junit.jupiter.api.TestInfo test) {
    if (!test.getTestMethod().orElseThrow().getName().startsWith("theJdkBackend")) {
      assumeTrue(linux(), "runs on the linux backend");
    }
  }

  @Test
  void ttyNamesAPseudoTerminalAndLinesEndAsATerminalEndsThem() {
    CompletedProcess done = Command.of("tty").terminal().run().block();
    assertThat(done.returnCode()).isZero();
    assertThat(new String(done.stdout(), StandardCharsets.UTF_8)).matches("/dev/pts/\\d+\r\n");
    assertThat(done.stdoutText()).matches("/dev/pts/\\d+\n");
    assertThat(done.stderr()).as("stderr is on the terminal, read as stdout").isNull();
  }

  @Test
  void allThreeStandardStreamsAreTheTerminal() {
    assertThat(Command.shell("test -t 0 && test -t 1 && test -t 2 && echo yes").terminal().run().block()
        .stdoutText()).isEqualTo("yes\n");
  }

  @Test
  void theTerminalControlsTheNewSessionTheChildLeads() {
    // Only a process with a controlling terminal can open /dev/tty.
    CompletedProcess done = Command.shell("echo $$ $(cut -d' ' -f6 /proc/$$/stat); echo through > /dev/tty")
        .terminal().run().block();
    String[] lines = done.stdoutText().split("\n");
    String[] pidAndSession = lines[0].split(" ");
    assertThat(pidAndSession[1]).isEqualTo(pidAndSession[0]);
    assertThat(lines[1]).isEqualTo("through");
    assertThat(done.returnCode()).isZero();
  }

  @Test
  void thisProcessHoldsOnlyTheMasterWhileTheChildRuns() {
    RunningProcess p = Command.shell("tty; read line").terminal().start().block();
    Conversation c = Conversation.of(p);
    String slave = c.expect(Pattern.compile("(/dev/pts/\\d+)\r\n"), LIMIT).block().group(1);
    assertThat(dev.subprocess.testing.LeakCheck.openFds().values())
        .as("this process's descriptors").doesNotContain(slave).contains("/dev/ptmx");
    assertThat(ProcStat.fdTarget(p.pid(), 0)).isEqualTo(slave);
    c.sendEof().block();
    assertThat(p.exitCode().block(LIMIT)).isNotZero();   // read got end of file
    p.resize(100, 30);                                   // no-op once the process has exited
  }

  @Test
  void streamsRedirectedExplicitlyStayOffTheTerminal() {
    CompletedProcess done = Command.shell("test -t 0 || echo stdin-not-a-tty; test -t 1 && echo stdout-a-tty;"
            + " echo apart >&2")
        .terminal().stdin(Redirect.DEVNULL).stderr(Redirect.PIPE).run().block();
    assertThat(done.stdoutText()).isEqualTo("stdin-not-a-tty\nstdout-a-tty\n");
    assertThat(done.stderrText()).isEqualTo("apart\n");
  }

  @Test
  void sttyReportsTheSizeGivenAndTheNewOneAfterAResizeWithSigwinch() {
    String script = "trap 'stty size' WINCH; stty size; echo ready; while :; do sleep 0.1; done";
    StepVerifier.create(Command.of("sh", "-c", script).terminal(100, 30).execute(p -> {
      Conversation c = Conversation.of(p);
      return c.expect("30 100\r\n", LIMIT)
          .then(c.expect("ready\r\n", LIMIT))
          .then(Mono.fromRunnable(() -> p.resize(120, 40)))
          .then(c.expect("40 120\r\n", LIMIT))
          .map(Conversation.Match::matched);
    }))
        .expectNext("40 120\r\n")
        .verifyComplete();
  }

  @Test
  void inputWrittenToTheTerminalReachesTheChildAndClosingItTypesEndOfFile() {
    CompletedProcess done = Command.of("cat").terminal().start()
        .flatMap(p -> p.communicate("hello".getBytes(StandardCharsets.UTF_8)))
        .block(LIMIT);
    // The terminal echoes what is typed; cat then prints it; Ctrl-D ends the line, a second one the input.
    assertThat(done.stdoutText()).isEqualTo("hellohello");
    assertThat(done.returnCode()).isZero();
  }

  @Test
  void aToolThatBlockBuffersIntoAPipeStreamsEachLineToATerminal() {
    // Under a terminal grep writes each matching line at once: the second is sent only after the first arrived.
    String script = "stty -echo && echo ready && exec grep line";
    StepVerifier.create(Command.of("sh", "-c", script).terminal().execute(p -> {
      Conversation c = Conversation.of(p);
      return c.expect("ready\r\n", LIMIT)
          .then(c.sendLine("line one"))
          .then(c.expect("line one\r\n", LIMIT))
          .then(c.sendLine("line two"))
          .then(c.expect("line two\r\n", LIMIT))
          .then(c.sendEof())
          .then(p.exitCode());
    }))
        .expectNext(0)
        .verifyComplete();
  }

  @Test
  void theSameToolHoldsItsLinesBackFromAPipeUntilItsInputEnds() {
    RunningProcess grep = Command.of("grep", "line").stdin(Redirect.PIPE).stdout(Redirect.PIPE).start().block();
    long pid = grep.pid();
    Conversation c = Conversation.of(grep);
    Await.until("grep waits for its input", () -> ProcStat.wchan(pid).contains("pipe_read"));
    long read = ProcStat.bytesRead(pid);
    long written = ProcStat.bytesWritten(pid);
    c.sendLine("line one").then(c.sendLine("line two")).block();
    Await.until("grep has read both lines and waits for more", () -> ProcStat.bytesRead(pid) == read + 18
        && ProcStat.wchan(pid).contains("pipe_read"));
    assertThat(ProcStat.bytesWritten(pid)).as("grep has written nothing yet").isEqualTo(written);
    c.sendEof().block();
    assertThat(c.expectEnd(LIMIT).block()).isEqualTo("line one\nline two\n");
    assertThat(grep.exitCode().block(LIMIT)).isZero();
  }

  @Test
  void aScriptedConversationWithAnInteractiveShell() {
    StepVerifier.create(Command.of("sh", "-i").env("PS1", "$ ").terminal().execute(p -> {
      Conversation shell = Conversation.of(p);
      return shell.expect("$ ", LIMIT)
          .then(shell.sendLine("echo $((6 * 7))"))
          .then(shell.expect(Pattern.compile("(\\d+)\r\n"), LIMIT))   // the echoed command ends in "))"
          .map(match -> match.group(1))
          .concatWith(shell.expect("$ ", LIMIT)
              .then(shell.sendLine("exit 3"))
              .then(p.exitCode())
              .map(String::valueOf));
    }))
        .expectNext("42", "3")
        .verifyComplete();
  }

  @Test
  void cancellingStopsTheWholeSession() {
    AtomicLong grandchild = new AtomicLong();
    StepVerifier.create(Command.shell("sleep 60 & echo $!; wait").terminal().lines())
        .assertNext(pid -> grandchild.set(Long.parseLong(pid)))
        .thenCancel()
        .verify(LIMIT);
    Await.until("the grandchild is stopped with its session",
        () -> ProcessHandle.of(grandchild.get()).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void stoppingAnInteractiveShellReachesTheJobsItPutInProcessGroupsOfTheirOwn() {
    AtomicLong shell = new AtomicLong();
    AtomicLong job = new AtomicLong();
    StepVerifier.create(Command.of("sh", "-i").env("PS1", "$ ").terminal().execute(p -> {
      shell.set(p.pid());
      Conversation c = Conversation.of(p);
      return c.expect("$ ", LIMIT)
          .then(c.sendLine("sleep 600 & echo job=$!"))
          .then(c.expect(Pattern.compile("job=(\\d+)\r\n"), LIMIT))   // the echoed command has no digits
          .map(match -> Long.parseLong(match.group(1)));
    }))
        .assertNext(pid -> {
          job.set(pid);
          // Job control: the shell ran the job in a process group of its own, which the shell's group signal misses.
          assertThat(ProcStat.processGroup(pid)).isEqualTo(pid).isNotEqualTo(shell.get());
        })
        .thenCancel()
        .verify(LIMIT);
    Await.until("the job is stopped with the shell's session",
        () -> ProcessHandle.of(job.get()).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void aSlowSubscriberStopsAChildThatWritesToTheTerminal() {
    StepVerifier.create(Command.of("head", "-c", "10000000", "/dev/zero").terminal().output()
            .map(ByteBuffer::remaining), 1)
        .expectNextCount(1)
        .then(() -> {
          long pid = dev.subprocess.testing.LeakCheck.children().get(0).pid();
          Await.until("head is blocked on the full terminal", () -> ProcStat.wchan(pid).contains("wait_woken")
              || ProcStat.wchan(pid).contains("tty_write"));
          assertThat(ProcStat.bytesWritten(pid)).isLessThan(1_000_000);
        })
        .thenCancel()
        .verify(LIMIT);
  }

  @Test
  void aConversationOverPipesReportsWhatItMissed() {
    RunningProcess echo = Command.shell("echo hello").stdin(Redirect.PIPE).stdout(Redirect.PIPE).start().block();
    Conversation c = Conversation.of(echo);
    assertThatThrownBy(() -> c.expect("goodbye", LIMIT).block())
        .isInstanceOf(ExpectException.class)
        .hasMessageContaining("ended before \"goodbye\" appeared")
        .hasMessageContaining("unread so far: \"hello\\n\"")
        .satisfies(e -> assertThat(((ExpectException) e).endOfOutput()).isTrue());
    RunningProcess cat = Command.of("cat").stdin(Redirect.PIPE).stdout(Redirect.PIPE).start().block();
    Conversation quiet = Conversation.of(cat);
    assertThatThrownBy(() -> quiet.expect("anything", Duration.ofMillis(50)).block())
        .isInstanceOf(ExpectException.class)
        .hasMessageContaining("did not show \"anything\" within PT0.05S")
        .satisfies(e -> assertThat(((ExpectException) e).endOfOutput()).isFalse());
    quiet.sendEof().block();
    assertThat(quiet.expectEnd(LIMIT).block()).isEmpty();
    assertThat(cat.exitCode().block(LIMIT)).isZero();
    assertThat(echo.exitCode().block(LIMIT)).isZero();
  }

  @Test
  void aTerminalsReaderClosedFirstLeavesNoEpollRegistrationBehind() {
    // The reader and the writer of a terminal hold descriptors of one master: closing the reader's alone would not
    // take it out of epoll while the writer's is open, and the terminal's output would wake the event loop for it.
    RunningProcess cat = Command.of("cat").terminal().start().block(LIMIT);
    try {
      EpollSet.Registration reader = EpollSet.registrations().stream()
          .filter(r -> (r.events() & EpollSet.EPOLLET) != 0 && isMaster(r.fd()))
          .findFirst().orElseThrow();
      cat.write("typed\n").block(LIMIT);
      // The first chunk, then a cancel: the reader closes its descriptor while the terminal and its writer stay.
      Flux.from(cat.stdout()).next().block(LIMIT);
      Await.until("the terminal's reader closed descriptor " + reader.fd(),
          () -> !isMaster(reader.fd()));
      assertThat(EpollSet.registrations()).as("epoll registrations once the reader closed")
          .noneMatch(r -> r.epfd() == reader.epfd() && r.fd() == reader.fd() && r.inode() == reader.inode());
      assertThat(cat.poll()).as("cat, still running on its terminal").isEmpty();
    } finally {
      cat.kill();
      cat.exitCode().block(LIMIT);
    }
  }

  /** Tells whether descriptor {@code fd} of this JVM is a terminal's master, such as {@code /dev/ptmx}. */
  private static boolean isMaster(int fd) {
    String target = EpollSet.target(fd);
    return target != null && target.endsWith("ptmx");
  }

  @Test
  void misuseIsRefusedClearly() {
    RunningProcess p = Command.of("true").start().block();
    assertThatThrownBy(() -> p.resize(80, 24)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("has no terminal to resize");
    p.exitCode().block(LIMIT);
    assertThatThrownBy(() -> Command.of("true").terminal(0, 24)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Command.of("true").terminal().stdout(Redirect.DEVNULL).stderr(Redirect.DEVNULL).run())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs stdout or stderr");
    assertThatThrownBy(() -> Command.of("true").terminal().pipeTo(Command.of("cat")).run().block())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pipeline");
  }

  @Test
  void theJdkBackendRefusesATerminal() {
    assumeTrue(!linux(), "runs on the jdk backend");
    assertThatThrownBy(() -> Command.of("tty").terminal().run().block())
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("terminal()")
        .hasMessageContaining("jdk backend");
  }
}

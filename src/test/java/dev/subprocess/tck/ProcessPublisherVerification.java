package dev.subprocess.tck;

import dev.subprocess.RunningProcess;
import dev.subprocess.testing.LeakCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import org.reactivestreams.Publisher;
import org.reactivestreams.tck.PublisherVerification;
import org.reactivestreams.tck.TestEnvironment;
import org.testng.annotations.AfterClass;
import org.testng.annotations.AfterMethod;
import org.testng.annotations.BeforeClass;
import org.testng.annotations.BeforeMethod;
import org.testng.annotations.Test;
import reactor.core.publisher.Mono;

/**
 * Runs the Reactive Streams TCK's publisher rules against a publisher of the library that starts real processes.
 * TestNG runs it (through the TestNG engine of the JUnit Platform), so the Jupiter LeakCheck does not apply: this
 * base class does the same checks itself after each class, and stops the processes its subclasses started.
 *
 * <p>The TCK needs {@code createPublisher(n)} to emit exactly {@code n} elements. Line streams are exact by
 * nature ({@code seq 1 n}); byte streams are not, because the reader takes what the pipe holds, so a chunk count
 * depends on timing. Each byte-stream publisher is therefore verified twice: exactly as the library returns it,
 * for {@code n} of 0 and 1 (a process that writes nothing, or one short write: one chunk, always), and behind
 * {@code take(n)} over an endless writer ({@code yes}, or {@code cat} fed without end), where {@code take} only
 * ends the stream after {@code n} and cancels it; every other signal (subscription, demand, cancellation, errors,
 * serial delivery) is the library's.
 */
public abstract class ProcessPublisherVerification<T> extends PublisherVerification<T> {
  /** Processes handed to a publisher by {@code start()}: stopped after each test, whatever the test did. */
  protected final List<RunningProcess> started = new CopyOnWriteArrayList<>();
  private final TestEnvironment environment;
  private Map<Integer, String> fdsBefore;
  private Map<Integer, String> fdsBeforeMethod;
  /** The tests after which pipes stayed open for a while, with those pipes: named by the class's check. */
  private final List<String> suspects = new CopyOnWriteArrayList<>();

  protected ProcessPublisherVerification() {
    // Processes take milliseconds to start (more on the jdk backend, and far more on a busy machine): up to 20 s
    // for a signal to arrive, checked every 10 ms (the TCK otherwise sleeps the whole timeout before it looks for
    // an expected error), and 200 ms of silence to prove that none arrives. The collection of a cancelled
    // subscriber is awaited below rather than after the TCK's fixed sleep.
    this(new TestEnvironment(20_000, 200, 10));
  }

  private ProcessPublisherVerification(TestEnvironment environment) {
    super(environment, 0);
    this.environment = environment;
  }

  /**
   * Rule 3.13, as the TCK checks it, except that the collection of the cancelled subscriber is awaited (a
   * collection every 50 ms, for up to 20 s) instead of looked for once after a fixed sleep: the stop that
   * follows a cancel, which holds the subscriber until the child is reaped, takes longer on a busy machine.
   */
  @Override
  @Test
  public void required_spec313_cancelMustMakeThePublisherEventuallyDropAllReferencesToTheSubscriber() throws Throwable {
    activePublisherTest(3, false, pub -> {
      ReferenceQueue<Object> queue = new ReferenceQueue<>();
      WeakReference<Object> ref = subscribeTakeOneAndCancel(pub, queue);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      Reference<?> collected = null;
      while (collected != ref && System.nanoTime() < deadline) {
        System.gc();
        collected = queue.remove(50);
      }
      if (collected != ref) {
        environment.flop("Publisher " + pub + " did not drop its reference to the subscriber within 20 s of the cancel");
      }
      environment.verifyNoAsyncErrorsNoDelay();
    });
  }

  private WeakReference<Object> subscribeTakeOneAndCancel(Publisher<T> pub, ReferenceQueue<Object> queue)
      throws InterruptedException {
    TestEnvironment.ManualSubscriber<T> sub = environment.newManualSubscriber(pub);
    WeakReference<Object> ref = new WeakReference<>(sub, queue);
    sub.request(1);
    sub.nextElement();
    sub.cancel();
    return ref;
  }

  @BeforeClass(alwaysRun = true)
  public void takeBaseline() {
    fdsBefore = LeakCheck.openFds();
  }

  @BeforeMethod(alwaysRun = true)
  public void takeMethodBaseline() {
    fdsBeforeMethod = LeakCheck.openFds();
  }

  @AfterMethod(alwaysRun = true)
  public void stopStartedProcesses(java.lang.reflect.Method method) {
    for (RunningProcess p : started) {
      p.kill();
      p.exitCode().block(Duration.ofSeconds(20));
      // Reads what nobody subscribed to, so that its pipe is closed now rather than by the cleaner.
      p.communicate().onErrorResume(e -> Mono.empty()).block(Duration.ofSeconds(20));
    }
    started.clear();
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    List<String> pipes = newPipes(fdsBeforeMethod);
    while (!pipes.isEmpty() && System.nanoTime() < deadline) {
      pause();
      pipes = newPipes(fdsBeforeMethod);
    }
    if (!pipes.isEmpty()) {
      suspects.add(method.getName() + " " + pipes);
    }
  }

  @AfterClass(alwaysRun = true)
  public void nothingIsLeftBehind() {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline && !(LeakCheck.children().isEmpty() && newPipes(fdsBefore).isEmpty())) {
      pause();
    }
    List<ProcessHandle> children = LeakCheck.children();
    children.forEach(ProcessHandle::destroyForcibly);
    if (!children.isEmpty()) {
      throw new AssertionError(getClass().getSimpleName() + " left child processes behind: "
          + children.stream().map(ProcessHandle::pid).toList());
    }
    List<String> pipes = newPipes(fdsBefore);
    if (!pipes.isEmpty()) {
      throw new AssertionError(getClass().getSimpleName() + " left pipes open: " + pipes
          + "; tests after which pipes stayed open for 3 s: " + suspects);
    }
  }

  private static void pause() {
    try {
      Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static List<String> newPipes(Map<Integer, String> before) {
    return LeakCheck.openFds().entrySet().stream()
        .filter(e -> e.getValue().startsWith("pipe:") && !e.getValue().equals(before.get(e.getKey())))
        .map(e -> e.getKey() + " -> " + e.getValue())
        .toList();
  }
}

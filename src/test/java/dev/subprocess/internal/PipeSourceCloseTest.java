package dev.subprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A read of a closed pipe source, and a read still waiting when its source is closed, call their handler once
 * with end of file, on each backend's source. The backend classes are internal to their layer (the Linux one
 * exists only in the jar's Java 22 layer), so they are reached by name.
 */
class PipeSourceCloseTest {
  private static final String LINUX = "dev.subprocess.internal.linux.";

  private PipeSource source;
  private AutoCloseable writeEnd;

  @BeforeEach
  void openAnEmptyPipe() throws Exception {
    if (Engine.backendName().equals("linux")) {
      int[] fds = (int[]) call(LINUX + "Posix", "pipe", new Class<?>[0]);
      call(LINUX + "Posix", "setNonBlocking", new Class<?>[] {int.class}, fds[0]);
      Constructor<?> c = Class.forName(LINUX + "NativePipeSource").getDeclaredConstructor(int.class, int.class,
          boolean.class);
      c.setAccessible(true);
      source = (PipeSource) c.newInstance(fds[0], 65536, true);
      writeEnd = () -> call(LINUX + "Posix", "close", new Class<?>[] {int.class}, fds[1]);
    } else {
      Pipe pipe = Pipe.open();
      Constructor<?> c = Class.forName("dev.subprocess.internal.jdk.StreamSource")
          .getDeclaredConstructor(InputStream.class, Executor.class);
      c.setAccessible(true);
      Class<?> threads = Class.forName("dev.subprocess.internal.jdk.JdkThreads");
      java.lang.reflect.Field executor = threads.getDeclaredField("EXECUTOR");
      executor.setAccessible(true);
      source = (PipeSource) c.newInstance(Channels.newInputStream(pipe.source()), executor.get(null));
      writeEnd = pipe.sink();
    }
  }

  @AfterEach
  void closeThePipe() throws Exception {
    source.close();
    writeEnd.close();
  }

  private static Object call(String type, String name, Class<?>[] parameters, Object... args) throws Exception {
    Method m = Class.forName(type).getDeclaredMethod(name, parameters);
    m.setAccessible(true);
    return m.invoke(null, args);
  }

  /** Records the outcome of one read: "end", "error ..." or "data"; fails on a second call. */
  private static final class Outcome implements PipeSource.ReadHandler {
    final CompletableFuture<String> first = new CompletableFuture<>();
    volatile int calls;

    private void done(String what) {
      calls++;
      first.complete(what);
    }

    @Override
    public void onData(ByteBuffer chunk) {
      done("data");
    }

    @Override
    public void onEnd() {
      done("end");
    }

    @Override
    public void onError(Throwable error) {
      done("error " + error);
    }

    String await() throws Exception {
      return first.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aReadOfAClosedSourceEndsAtOnce() throws Exception {
    source.close();
    Outcome outcome = new Outcome();
    source.read(outcome);
    assertThat(outcome.await()).isEqualTo("end");
    assertThat(outcome.calls).isEqualTo(1);
  }

  @Test
  void aReadWaitingForDataEndsWhenItsSourceIsClosed() throws Exception {
    Outcome outcome = new Outcome();
    source.read(outcome);
    assertThat(outcome.first).as("a read of an empty pipe waits").isNotDone();
    source.close();
    assertThat(outcome.await()).isEqualTo("end");
    assertThat(outcome.calls).isEqualTo(1);
  }

  @Test
  void aReadNotYetTakenByTheJdkReaderThreadEndsWhenItsSourceIsClosed() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Engine.backendName().equals("jdk"), "the jdk backend's source");
    Pipe pipe = Pipe.open();
    java.util.List<Runnable> queued = new java.util.ArrayList<>();
    Constructor<?> c = Class.forName("dev.subprocess.internal.jdk.StreamSource")
        .getDeclaredConstructor(InputStream.class, Executor.class);
    c.setAccessible(true);
    // An executor that has not run the read yet, as a busy reader pool would not have.
    PipeSource queuedSource = (PipeSource) c.newInstance(Channels.newInputStream(pipe.source()),
        (Executor) queued::add);
    try {
      Outcome outcome = new Outcome();
      queuedSource.read(outcome);
      queuedSource.close();
      assertThat(outcome.await()).isEqualTo("end");
      queued.forEach(Runnable::run);
      assertThat(outcome.calls).isEqualTo(1);
    } finally {
      queuedSource.close();
      pipe.sink().close();
    }
  }
}

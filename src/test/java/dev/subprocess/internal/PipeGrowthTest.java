package dev.subprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.testing.Await;
import java.io.FileOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Linux backend grows an output pipe of the default capacity once its child fills it whole while a read waits
 * (the stream is throttled by wake-ups, not by its subscriber), and only then: reads that find the pipe full
 * without waiting (a subscriber slower than the child) and pipes given a capacity keep theirs. Each read here is
 * asked for on the test thread, where it is done (or parked) before the call returns; the pipe is written in single
 * {@code write} calls of 64 KiB, which a reader sees whole. The source is internal to the jar's Java 22 layer, so it
 * is reached by name.
 */
class PipeGrowthTest {
  private static final String LINUX = "dev.subprocess.internal.linux.";
  private static final int DEFAULT = 64 * 1024;

  private int readEnd;
  private FileOutputStream writeEnd;
  private PipeSource source;

  @BeforeEach
  void openAPipe() throws Exception {
    assumeTrue(Engine.backendName().equals("linux"), "the linux backend's read path");
    int[] fds = (int[]) call("Posix", "pipe", new Class<?>[0]);
    readEnd = fds[0];
    call("Posix", "setNonBlocking", new Class<?>[] {int.class}, readEnd);
    // A second descriptor of the pipe's write end, so that a Java stream writes it in single write(2) calls.
    writeEnd = new FileOutputStream("/proc/self/fd/" + fds[1]);
    call("Posix", "close", new Class<?>[] {int.class}, fds[1]);
    assertThat(capacity()).isEqualTo(DEFAULT);
  }

  @AfterEach
  void closeThePipe() throws Exception {
    if (source != null) {
      source.close();
    }
    if (writeEnd != null) {
      writeEnd.close();
    }
  }

  @Test
  void aPipeThatFillsWhileReadsWaitIsGrownOnce() throws Exception {
    source = source(true);
    for (int i = 0; i < 4; i++) {
      Chunk chunk = new Chunk();
      source.read(chunk);
      assertThat(chunk.size).as("a read of the empty pipe waits").isNotDone();
      writeEnd.write(new byte[DEFAULT]);
      assertThat(chunk.await()).isEqualTo(DEFAULT);
    }
    assertThat(capacity()).isEqualTo(256 * 1024);

    // Grown, it is read a quarter of a MiB at a time, and not grown again.
    for (int i = 0; i < 5; i++) {
      Chunk chunk = new Chunk();
      source.read(chunk);
      writeEnd.write(new byte[4 * DEFAULT]);
      assertThat(chunk.await()).isEqualTo(4 * DEFAULT);
    }
    assertThat(capacity()).isEqualTo(256 * 1024);
  }

  @Test
  void aGrownPipeGivesItsShareBackOnceWhenClosed() throws Exception {
    int before = growthLeft();
    source = source(true);
    for (int i = 0; i < 4; i++) {
      Chunk chunk = new Chunk();
      source.read(chunk);
      writeEnd.write(new byte[DEFAULT]);
      assertThat(chunk.await()).isEqualTo(DEFAULT);
    }
    assertThat(capacity()).isEqualTo(256 * 1024);
    assertThat(growthLeft()).isEqualTo(before - 1);
    source.close();
    source.close();
    assertThat(growthLeft()).isEqualTo(before);
  }

  @Test
  void readsThatFindThePipeFullWithoutWaitingKeepItsCapacity() throws Exception {
    source = source(true);
    for (int i = 0; i < 8; i++) {
      writeEnd.write(new byte[DEFAULT]);
      Await.until("the source hears of the data", this::readable);
      Chunk chunk = new Chunk();
      source.read(chunk);
      assertThat(chunk.size).as("read at once, on this thread").isDone();
      assertThat(chunk.await()).isEqualTo(DEFAULT);
    }
    assertThat(capacity()).isEqualTo(DEFAULT);
  }

  @Test
  void aPipeGivenItsCapacityIsNeverGrown() throws Exception {
    source = source(false);
    for (int i = 0; i < 8; i++) {
      Chunk chunk = new Chunk();
      source.read(chunk);
      writeEnd.write(new byte[DEFAULT]);
      assertThat(chunk.await()).isEqualTo(DEFAULT);
    }
    assertThat(capacity()).isEqualTo(DEFAULT);
  }

  @Test
  void smallReadsCopyExactlyWhatCame() throws Exception {
    source = source(true);
    Chunk chunk = new Chunk();
    source.read(chunk);
    writeEnd.write("one line\n".getBytes());
    assertThat(chunk.await()).isEqualTo(9);
    assertThat(chunk.capacity).isEqualTo(9);
  }

  private PipeSource source(boolean growable) throws Exception {
    Constructor<?> c = Class.forName(LINUX + "NativePipeSource").getDeclaredConstructor(int.class, int.class,
        boolean.class);
    c.setAccessible(true);
    return (PipeSource) c.newInstance(readEnd, DEFAULT, growable);
  }

  /** How many more pipes may be grown now. */
  private static int growthLeft() throws Exception {
    Field f = Class.forName(LINUX + "PipeGrowth").getDeclaredField("LEFT");
    f.setAccessible(true);
    return ((java.util.concurrent.atomic.AtomicInteger) f.get(null)).get();
  }

  private int capacity() throws Exception {
    return (int) call("Posix", "pipeSize", new Class<?>[] {int.class}, readEnd);
  }

  private boolean readable() {
    try {
      Field f = source.getClass().getDeclaredField("readable");
      f.setAccessible(true);
      return f.getBoolean(source);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static Object call(String type, String name, Class<?>[] parameters, Object... args) throws Exception {
    Method m = Class.forName(LINUX + type).getDeclaredMethod(name, parameters);
    m.setAccessible(true);
    return m.invoke(null, args);
  }

  /** The size of the one chunk a read brings, and the capacity of its array. */
  private static final class Chunk implements PipeSource.ReadHandler {
    final CompletableFuture<Integer> size = new CompletableFuture<>();
    volatile int capacity;

    @Override
    public void onData(ByteBuffer chunk) {
      capacity = chunk.capacity();
      size.complete(chunk.remaining());
    }

    @Override
    public void onEnd() {
      size.completeExceptionally(new AssertionError("end of file"));
    }

    @Override
    public void onError(Throwable error) {
      size.completeExceptionally(error);
    }

    int await() throws Exception {
      return size.get(30, TimeUnit.SECONDS);
    }
  }
}

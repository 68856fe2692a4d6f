package dev.subprocess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.subprocess.internal.Engine;
import dev.subprocess.testing.LaunchFromShortLivedThreads;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The linux backend keeps no native memory per thread: launching from many short-lived threads leaves no native
 * allocation behind. Measured in a child JVM with native memory tracking (the jdk backend allocates none).
 */
class NativeMemoryTest {
  private static final int THREADS = 200;

  @Test
  void launchingFromShortLivedThreadsLeavesNoNativeMemoryBehind() {
    assumeTrue(Engine.backendName().equals("linux"), "native memory is the linux backend's");
    String java = ProcessHandle.current().info().command().orElseThrow();
    CompletedProcess jvm = Command.of(List.of(java, "-XX:NativeMemoryTracking=summary",
            "--enable-native-access=ALL-UNNAMED", "-Ddev.subprocess.launcher=linux",
            "-cp", System.getProperty("java.class.path"), LaunchFromShortLivedThreads.class.getName(),
            String.valueOf(THREADS)))
        .stdin(Redirect.DEVNULL).captureOutput().check().timeout(Duration.ofMinutes(2)).run().block();
    long leftBehind = Long.parseLong(jvm.stdoutText().trim());
    // Three thread-local segments per thread were kept before; a few unrelated allocations may come and go.
    assertThat(leftBehind).as("native allocations left behind by %s short-lived threads", THREADS)
        .isLessThan(THREADS / 4);
  }
}

package dev.subprocess.internal;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Teaches BlockHound about the library's threads: marks every {@link LibraryThread} as non-blocking and allows
 * the few blocking calls the library makes there by design (the JDK backend reading and writing a
 * {@link Process}'s streams, starting a process, an idle thread waiting for work; the watchdog's start and its
 * line per child). A blocking call in a subscriber's code on these threads is still reported. Found by BlockHound
 * through the {@link java.util.ServiceLoader} when BlockHound is installed; BlockHound itself is an optional
 * dependency.
 *
 * <p>Example: {@code BlockHound.install();} is all an application needs; this integration is picked up by itself.
 */
public final class SubprocessBlockHoundIntegration implements BlockHoundIntegration {
  private static final String JDK = "dev.subprocess.internal.jdk.";

  /** Creates the integration; BlockHound's service loader calls this. */
  public SubprocessBlockHoundIntegration() {}

  @Override
  public void applyTo(BlockHound.Builder builder) {
    builder.nonBlockingThreadPredicate(current -> current.or(LibraryThread.class::isInstance));
    builder.allowBlockingCallsInside(JDK + "StreamSource", "fill");
    builder.allowBlockingCallsInside(JDK + "StreamSink", "writeFully");
    builder.allowBlockingCallsInside(JDK + "StreamSink", "closeStream");
    builder.allowBlockingCallsInside(JDK + "JdkLauncher", "start");
    builder.allowBlockingCallsInside(JDK + "JdkLauncher", "startPipeline");
    builder.allowBlockingCallsInside(JDK + "JdkThreads$IdleQueue", "poll");
    // A signal other than SIGTERM and SIGKILL: a short-lived /bin/sh running kill, waited for, as a start is.
    builder.allowBlockingCallsInside(JDK + "Kill", "send");
    // The watchdog starts once per JVM, with the first child. A started child's line is written by the thread
    // that started it (a Reactor parallel thread too, so that a JVM killed right after the start cannot leave the
    // child unregistered) but on the linux backend's event loop, where the watchdog's own writer thread writes.
    // When awk is behind, the start waits for the writer thread instead, at most a few seconds, once per stall.
    builder.allowBlockingCallsInside("dev.subprocess.internal.Watchdog", "start");
    builder.allowBlockingCallsInside("dev.subprocess.internal.Watchdog", "write");
    builder.allowBlockingCallsInside("dev.subprocess.internal.Watchdog", "registerNow");
    // Stopping a child that leads a session reads /proc for the session's other process groups.
    builder.allowBlockingCallsInside("dev.subprocess.internal.SessionGroups", "otherThanTheLeaders");
  }
}

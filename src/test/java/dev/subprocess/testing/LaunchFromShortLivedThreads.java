package dev.subprocess.testing;

import dev.subprocess.Command;
import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * A program for a child JVM run with {@code -XX:NativeMemoryTracking=summary}: runs a process from each of
 * {@code args[0]} threads that end at once (platform and virtual, in turn), and prints how many more native
 * allocations of the JVM's "Other" kind (where {@code Arena} memory is counted) are live afterwards than before.
 */
public final class LaunchFromShortLivedThreads {
  private static final Pattern OTHER = Pattern.compile("tag=Other #(\\d+)");

  private LaunchFromShortLivedThreads() {}

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    launchOnANewThread(false);
    launchOnANewThread(true);
    long before = liveOtherAllocations();
    for (int i = 0; i < threads; i++) {
      launchOnANewThread(i % 2 == 1);
    }
    System.gc();
    long after = liveOtherAllocations();
    System.out.println(after - before);
  }

  private static void launchOnANewThread(boolean virtual) throws InterruptedException {
    Runnable launch = () -> Command.of("echo", "x").captureOutput().check().run().block();
    Thread t = virtual ? Thread.ofVirtual().start(launch) : Thread.ofPlatform().start(launch);
    t.join();
  }

  private static long liveOtherAllocations() throws Exception {
    String summary = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
        new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
    Matcher m = OTHER.matcher(summary);
    if (!m.find()) {
      throw new IllegalStateException("no count of Other allocations in:\n" + summary);
    }
    return Long.parseLong(m.group(1));
  }
}

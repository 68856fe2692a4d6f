package dev.subprocess.testing;

import dev.subprocess.Command;
import dev.subprocess.OutputLimitException;
import java.lang.management.ManagementFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * A program for a child JVM run with {@code -XX:NativeMemoryTracking=summary}: runs a process that writes 3 MB to
 * stderr, then more to stdout than the run captures, so that the run fails with the stderr capture unread, and
 * prints how many more kilobytes of the JVM's "Other" native memory (where {@code Arena} memory is counted) are
 * live afterwards than before.
 */
public final class CaptureLeftUnread {
  private static final Pattern OTHER = Pattern.compile("malloc=(\\d+)KB tag=Other");

  private CaptureLeftUnread() {}

  public static void main(String[] args) throws Exception {
    Command.of("true").run().block();
    long before = otherKilobytes();
    try {
      Command.shell("head -c 3000000 /dev/zero >&2; head -c 5000000 /dev/zero").captureOutput()
          .captureLimit(4_000_000).run().block();
      throw new IllegalStateException("the run did not fail");
    } catch (OutputLimitException expected) {
      // stdout went past the limit; stderr's capture is never read
    }
    System.out.println(otherKilobytes() - before);
  }

  private static long otherKilobytes() throws Exception {
    String summary = (String) ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
        new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
    Matcher m = OTHER.matcher(summary);
    if (!m.find()) {
      return 0;   // no Other allocations at all
    }
    return Long.parseLong(m.group(1));
  }
}

package dev.subprocess.testing;

import dev.subprocess.Command;
import java.util.stream.Collectors;

/**
 * A program for a child JVM: runs {@code /bin/true} through the library as the JVM's first process, as the
 * benchmark of a fresh JVM's first process does, then prints its return code and the names of the library's
 * threads still alive.
 */
public final class RunTrueAndPrintThreads {
  private RunTrueAndPrintThreads() {}

  public static void main(String[] args) {
    int code = Command.of("/bin/true").run().block().returnCode();
    System.out.println("returned " + code);
    System.out.println("threads: " + Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(name -> name.startsWith("subprocess-")).sorted().collect(Collectors.joining(" ")));
  }
}

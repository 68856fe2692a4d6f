package dev.subprocess.testing;

import dev.subprocess.Command;

/** A program for a child JVM: runs {@code true} through the library and prints its return code. */
public final class RunTrue {
  private RunTrue() {}

  public static void main(String[] args) {
    System.out.println(Command.of("true").captureOutput().run().block().returnCode());
  }
}

package dev.subprocess.testing;

import dev.subprocess.Command;
import dev.subprocess.Redirect;
import dev.subprocess.internal.Engine;

/** A program for a child JVM: runs {@code true} and prints the backend that ran it and the return code. */
public final class RunTrueAndPrintBackend {
  private RunTrueAndPrintBackend() {}

  public static void main(String[] args) {
    int code = Command.of("true").stdin(Redirect.DEVNULL).run().block().returnCode();
    System.out.println(Engine.backendName() + " " + code);
  }
}

package dev.subprocess.testing;

import dev.subprocess.Command;
import dev.subprocess.Redirect;

/** A program for a child JVM: prints the ignored and blocked signal sets of a process it starts. */
public final class PrintChildSignals {
  private PrintChildSignals() {}

  public static void main(String[] args) {
    System.out.print(Command.of("grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status")
        .stdin(Redirect.DEVNULL).captureOutput().check().run().block().stdoutText());
  }
}

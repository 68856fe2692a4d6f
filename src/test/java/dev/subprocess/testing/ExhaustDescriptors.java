package dev.subprocess.testing;

import dev.subprocess.Command;
import dev.subprocess.CompletedProcess;
import dev.subprocess.ProcessStartException;
import dev.subprocess.Redirect;
import java.io.FileInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A program for a child JVM with a low descriptor limit: uses up every descriptor, starts a process, and prints
 * what happened; then frees the descriptors, counts them and the child processes left, and starts a process again.
 * With the argument {@code inherit} the process inherits every standard stream, so that it can start without a
 * new descriptor and only watching it needs one.
 */
public final class ExhaustDescriptors {
  private ExhaustDescriptors() {}

  public static void main(String[] args) throws IOException {
    boolean inherit = args.length > 0 && args[0].equals("inherit");
    Command command = inherit ? Command.of("true") : Command.of("echo", "ok").stdin(Redirect.DEVNULL).captureOutput();
    command.run().block();
    try {
      Command.of("/nonexistent/warm-up").run().block();
    } catch (ProcessStartException expected) {
      // Loads the classes of the failure path while descriptors are still free.
    }
    int before = LeakCheck.openFds().size();
    List<FileInputStream> hog = new ArrayList<>();
    try {
      while (true) {
        hog.add(new FileInputStream("/dev/null"));
      }
    } catch (IOException exhausted) {
      // Every descriptor is in use now.
    }
    String outcome;
    try {
      command.run().block();
      outcome = "started";
    } catch (ProcessStartException e) {
      outcome = e.errorName() + " | " + e.getMessage().replace('\n', ' ');
    }
    for (FileInputStream in : hog) {
      in.close();
    }
    int after = LeakCheck.openFds().size();
    int children = LeakCheck.children().size();
    CompletedProcess done = command.run().block();
    String again = inherit ? "exit " + done.returnCode() : done.stdoutText().trim();
    System.out.println(outcome);
    System.out.println("descriptors before " + before + " after " + after);
    System.out.println("again " + again);
    System.out.println("children " + children);
  }
}

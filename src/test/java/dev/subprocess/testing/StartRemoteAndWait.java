package dev.subprocess.testing;

import dev.subprocess.Command;
import dev.subprocess.RunningProcess;
import dev.subprocess.internal.Engine;
import dev.subprocess.ssh.SshHost;
import java.nio.file.Path;

/**
 * A program for a child JVM: starts {@code sleep 1000} on the SSH host given by its arguments (port, user, key,
 * known hosts), prints the remote pid and this JVM's watchdog pid on one line, and waits to be killed.
 */
public final class StartRemoteAndWait {
  private StartRemoteAndWait() {}

  public static void main(String[] args) throws InterruptedException {
    SshHost host = SshHost.builder("127.0.0.1").port(Integer.parseInt(args[0])).user(args[1])
        .identity(Path.of(args[2])).knownHosts(Path.of(args[3])).build();
    RunningProcess sleep = Command.of("sleep", "1000").on(host).start().block();
    System.out.println(sleep.pid() + " " + Engine.watchdogPid());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}

package dev.subprocess.internal.ssh;

import dev.subprocess.internal.LaunchSpec;
import dev.subprocess.internal.StartFailure;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;

/**
 * Turns what went wrong while connecting or opening a channel into the engine's {@link StartFailure}, which names
 * the command, the host and the reason in words: connection refused, unknown or changed host key,
 * authentication refused, timeout.
 */
final class StartFailures {
  private StartFailures() {}

  static StartFailure of(LaunchSpec spec, SshConfig config, Throwable error) {
    String host = config.name();
    String reason;
    String name = null;
    HostKeyRefused refused = find(error, HostKeyRefused.class);
    if (find(error, HostClosed.class) != null) {
      reason = "its SshHost " + host + " was closed (SshHost.close()), and a closed host starts no more processes;"
          + " build another SshHost to run more there";
      name = "ESHUTDOWN";
    } else if (refused != null) {
      reason = "host key verification failed for " + host + ": " + refused.getMessage();
      name = "HOSTKEY";
    } else if (find(error, ConnectException.class) != null) {
      reason = "cannot connect to " + host + ": " + find(error, ConnectException.class).getMessage();
      name = "ECONNREFUSED";
    } else if (find(error, UnknownHostException.class) != null) {
      reason = "cannot connect to " + host + ": unknown host " + config.address();
      name = "EHOSTUNREACH";
    } else if (find(error, NoRouteToHostException.class) != null) {
      reason = "cannot connect to " + host + ": no route to host";
      name = "EHOSTUNREACH";
    } else if (isAuthFailure(error)) {
      reason = "authentication failed at " + host + ": the server accepted none of the keys offered for user "
          + config.user() + " (" + keys(config) + ")";
      name = "EACCES";
    } else if (find(error, TimeoutException.class) != null || String.valueOf(error.getMessage()).contains("timeout")
        || String.valueOf(error.getMessage()).contains("timed out")) {
      reason = "timed out after " + config.connectTimeout() + " connecting to " + host + ": " + error.getMessage();
      name = "ETIMEDOUT";
    } else if (error instanceof SshChannelOpenException open) {
      reason = host + " refused to open a channel: " + open.getMessage();
    } else {
      reason = "SSH to " + host + " failed: " + error;
    }
    return new StartFailure(spec, reason, name, error);
  }

  private static boolean isAuthFailure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("No more authentication methods available") || m.contains("authentication")) {
        return true;
      }
    }
    return false;
  }

  private static String keys(SshConfig config) {
    if (config.identityFiles().isEmpty() && config.keyPairs().isEmpty()) {
      return "no key was configured";
    }
    StringBuilder s = new StringBuilder("offered: ");
    for (Path file : config.identityFiles()) {
      s.append(file).append(", ");
    }
    if (!config.keyPairs().isEmpty()) {
      s.append(config.keyPairs().size()).append(" key pair(s), ");
    }
    return s.substring(0, s.length() - 2);
  }

  private static <T extends Throwable> T find(Throwable error, Class<T> type) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  /** Says that the host was closed before a start could take a connection. */
  static final class HostClosed extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    HostClosed() {
      super("the host was closed");
    }
  }

  /** Says the server's host key was refused, and why in words. */
  static final class HostKeyRefused extends java.io.IOException {
    private static final long serialVersionUID = 1L;

    HostKeyRefused(String why, Throwable cause) {
      super(why, cause);
    }
  }
}

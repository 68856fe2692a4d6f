package dev.subprocess.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Explains a pipe size the system refused, naming its limit: an unprivileged process may not make a pipe larger
 * than {@code /proc/sys/fs/pipe-max-size}. Read only when a size was refused, so that a privileged process, which
 * may exceed it, pays nothing.
 */
public final class PipeLimit {
  private static final Path MAX = Path.of("/proc/sys/fs/pipe-max-size");

  private PipeLimit() {}

  /** Returns why a pipe of {@code requested} bytes could not be made, given the system's {@code reason}. */
  public static String reason(int requested, String reason) {
    String limit;
    try {
      limit = Files.readString(MAX, StandardCharsets.US_ASCII).trim();
    } catch (IOException | RuntimeException e) {
      return "cannot make a pipe of pipeSize(" + requested + ") bytes: " + reason;
    }
    boolean above = limit.matches("\\d+") && requested > Long.parseLong(limit);
    return "cannot make a pipe of pipeSize(" + requested + ") bytes: " + reason
        + (above ? "; it is above the system's limit of " + limit + " bytes (" + MAX + "), which only a privileged"
            + " process may exceed" : " (the system's limit, " + MAX + ", is " + limit + " bytes)");
  }
}

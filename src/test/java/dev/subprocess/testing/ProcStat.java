package dev.subprocess.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads what Linux tells of a process under /proc: where it sleeps and how much it has written. */
public final class ProcStat {
  private ProcStat() {}

  /** Returns the kernel function the process sleeps in, such as {@code pipe_write}, or "" once it is gone. */
  public static String wchan(long pid) {
    return read(pid, "wchan");
  }

  /** Tells whether the process is blocked writing into a full pipe. */
  public static boolean blockedOnPipeWrite(long pid) {
    return wchan(pid).contains("pipe_write");
  }

  /** Returns how many bytes the process has written so far ({@code wchar} of {@code /proc/PID/io}). */
  public static long bytesWritten(long pid) {
    for (String line : read(pid, "io").split("\n")) {
      if (line.startsWith("wchar:")) {
        return Long.parseLong(line.substring(6).trim());
      }
    }
    throw new AssertionError("no wchar in /proc/" + pid + "/io");
  }

  /** Returns how many bytes the process has read so far ({@code rchar} of {@code /proc/PID/io}). */
  public static long bytesRead(long pid) {
    for (String line : read(pid, "io").split("\n")) {
      if (line.startsWith("rchar:")) {
        return Long.parseLong(line.substring(6).trim());
      }
    }
    throw new AssertionError("no rchar in /proc/" + pid + "/io");
  }

  /** Returns what descriptor {@code fd} of the process points to, such as {@code pipe:[1234]}. */
  public static String fdTarget(long pid, int fd) {
    try {
      return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", Integer.toString(fd))).toString();
    } catch (IOException e) {
      throw new AssertionError("cannot read fd " + fd + " of " + pid, e);
    }
  }

  /** Tells whether the process has ended: it is gone, or a zombie that its parent (perhaps init) has not reaped. */
  public static boolean ended(long pid) {
    String stat = read(pid, "stat");
    return stat.isEmpty() || stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
  }

  /** Tells whether the process is stopped by a signal (state {@code T} in {@code /proc/PID/stat}). */
  public static boolean stopped(long pid) {
    String stat = read(pid, "stat");
    return !stat.isEmpty() && stat.charAt(stat.lastIndexOf(')') + 2) == 'T';
  }

  /** Returns the process group of the process ({@code pgrp} of {@code /proc/PID/stat}). */
  public static long processGroup(long pid) {
    String stat = read(pid, "stat");
    return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[2]);
  }

  private static String read(long pid, String file) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), file));
    } catch (IOException e) {
      return "";
    }
  }
}

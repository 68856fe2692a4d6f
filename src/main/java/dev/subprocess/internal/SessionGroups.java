package dev.subprocess.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Finds the process groups of a session in {@code /proc}, for the stop policy of a child that leads a session (a
 * {@code newSession()} or {@code terminal()} child): a job-control shell runs each job in a process group of its
 * own, which a signal to the leader's group does not reach, and which the kernel leaves running when the leader
 * dies unless it is stopped or in the foreground.
 *
 * <p>Call it only while the session's leader is not yet reaped: until then no other process can take the
 * leader's pid, so every process whose session is that pid belongs to the child's session.
 */
public final class SessionGroups {
  private static final Path PROC = Path.of("/proc");

  private SessionGroups() {}

  /** Returns the process groups, other than the leader's own, of the processes in session {@code sid}. */
  public static Set<Long> otherThanTheLeaders(long sid) {
    Set<Long> groups = new LinkedHashSet<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, SessionGroups::isPid)) {
      for (Path entry : entries) {
        long group = groupInSession(entry.resolve("stat"), sid);
        if (group > 0 && group != sid) {
          groups.add(group);
        }
      }
    } catch (IOException | RuntimeException e) {
      // /proc unreadable (a sandbox): only the leader's group is reached, as without this walk.
    }
    return groups;
  }

  private static boolean isPid(Path entry) {
    String name = entry.getFileName().toString();
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < '0' || name.charAt(i) > '9') {
        return false;
      }
    }
    return !name.isEmpty();
  }

  /** Returns the process group of the process whose {@code stat} this is, if its session is sid; else -1. */
  private static long groupInSession(Path stat, long sid) {
    String text;
    try {
      text = new String(Files.readAllBytes(stat), StandardCharsets.US_ASCII);
    } catch (IOException gone) {
      return -1;
    }
    // "pid (comm) state ppid pgrp session ...": comm may hold spaces and parentheses, so parse after the last ')'.
    String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ", 5);
    if (fields.length < 4 || Long.parseLong(fields[3]) != sid) {
      return -1;
    }
    return Long.parseLong(fields[2]);
  }
}

package dev.subprocess.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the registrations of this JVM's epoll instances as the kernel shows them ({@code /proc/self/fdinfo}):
 * which descriptor number each one was added under, for which events, and the inode of the file it watches. A
 * registration outlives the close of its descriptor while another descriptor of the same open file is open.
 *
 * <pre>{@code
 * List<EpollSet.Registration> watched = EpollSet.registrations();
 * }</pre>
 */
public final class EpollSet {
  /** The events bit that marks an edge-triggered registration. */
  public static final long EPOLLET = 1L << 31;

  private static final Pattern TFD = Pattern.compile("tfd:\\s*(\\d+)\\s+events:\\s*([0-9a-f]+).*\\bino:([0-9a-f]+)");

  private EpollSet() {}

  /** One registration: the epoll descriptor, the watched descriptor's number, its events and its file's inode. */
  public record Registration(int epfd, int fd, long events, long inode) {}

  /** Returns every registration of every epoll instance this process has open. */
  public static List<Registration> registrations() {
    List<Registration> found = new ArrayList<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : (Iterable<Path>) fds::iterator) {
        if (!"anon_inode:[eventpoll]".equals(target(fd))) {
          continue;
        }
        int epfd = Integer.parseInt(fd.getFileName().toString());
        for (String line : lines(Path.of("/proc/self/fdinfo", fd.getFileName().toString()))) {
          Matcher m = TFD.matcher(line);
          if (m.find()) {
            found.add(new Registration(epfd, Integer.parseInt(m.group(1)), Long.parseLong(m.group(2), 16),
                Long.parseLong(m.group(3), 16)));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  /** Returns what descriptor {@code fd} of this process refers to, such as {@code /dev/ptmx}, or null if closed. */
  public static String target(int fd) {
    return target(Path.of("/proc/self/fd", Integer.toString(fd)));
  }

  private static String target(Path fd) {
    try {
      return Files.readSymbolicLink(fd).toString();
    } catch (IOException closed) {
      return null;
    }
  }

  private static List<String> lines(Path path) {
    try {
      return Files.readAllLines(path);
    } catch (IOException closed) {
      return List.of();
    }
  }
}

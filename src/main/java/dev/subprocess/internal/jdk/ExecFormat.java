package dev.subprocess.internal.jdk;

import dev.subprocess.internal.LaunchSpec;
import dev.subprocess.internal.StartFailure;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses an executable file the kernel cannot execute, as {@code execve} does with ENOEXEC on the linux backend
 * and in Python: the JDK would run it through {@code /bin/sh} instead (its fallback for a file without {@code
 * #!}). A file is executed when it starts with {@code #!} or is an ELF binary; any other format only when the
 * system registers interpreters of its own ({@code binfmt_misc}), which the kernel may know. Costs a stat, an open
 * and a read of four bytes per start; a file this process cannot read, or that is not a regular file (never opened,
 * so that a FIFO cannot block the start), is left to the exec.
 */
final class ExecFormat {
  private static final File BINFMT_MISC = new File("/proc/sys/fs/binfmt_misc");

  private ExecFormat() {}

  static void check(LaunchSpec spec) {
    String file = spec.file();
    File located = file.startsWith("/") || spec.cwd() == null ? new File(file) : new File(spec.cwd().toFile(), file);
    if (!SignalReset.PREFIX.isEmpty()) {
      // The child runs through env, whose exec failure would be an exit of 126 or 127: say it as the exec would.
      if (!located.exists()) {
        throw new StartFailure(spec, "No such file or directory", "ENOENT", null);
      }
      if (!located.isFile() || !located.canExecute()) {
        throw new StartFailure(spec, "Permission denied", "EACCES", null);
      }
    }
    if (!located.isFile()) {
      return;   // not a regular file (a FIFO would block the open until a writer came): the exec refuses it
    }
    byte[] head = new byte[4];
    int n = 0;
    try (InputStream in = new FileInputStream(located)) {
      while (n < head.length) {
        int read = in.read(head, n, head.length - n);
        if (read < 0) {
          break;
        }
        n += read;
      }
    } catch (IOException e) {
      return;   // not readable here: the exec says what it thinks of it
    }
    boolean script = n >= 2 && head[0] == '#' && head[1] == '!';
    boolean elf = n == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
    if (!script && !elf && !BinfmtMisc.REGISTERED) {
      throw new StartFailure(spec, "Exec format error: " + file + " is neither a binary nor a script starting"
          + " with #!, and is not run through /bin/sh (Python and the linux backend refuse it the same way)",
          "ENOEXEC", null);
    }
  }

  /** Whether the system registers interpreters of its own formats, asked once. */
  private static final class BinfmtMisc {
    static final boolean REGISTERED = registered();

    private static boolean registered() {
      String[] entries = BINFMT_MISC.list();
      if (entries == null) {
        return false;
      }
      for (String entry : entries) {
        if (!entry.equals("register") && !entry.equals("status")) {
          return true;
        }
      }
      return false;
    }
  }
}

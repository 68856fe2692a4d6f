package dev.subprocess.internal.linux;

import java.io.IOException;

/** Signals that a system call failed, with its errno, symbolic name and description. */
final class NativeException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String call;
  private final int errno;

  NativeException(String call, int errno) {
    super(call + " failed: " + Libc.errorText(errno) + " (" + Libc.errorName(errno) + ")");
    this.call = call;
    this.errno = errno;
  }

  /** Returns the call that failed, such as {@code pidfd_open}. */
  String call() {
    return call;
  }

  int errno() {
    return errno;
  }

  String errorName() {
    return Libc.errorName(errno);
  }

  String errorText() {
    return Libc.errorText(errno);
  }
}

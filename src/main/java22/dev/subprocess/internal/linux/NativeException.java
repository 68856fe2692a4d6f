package dev.subprocess.internal.linux;

import java.io.IOException;

/**
 * Signals that a system call failed, with its errno, symbolic name and description. The message is made when it
 * is first asked for: an expected failure (the probe's own) never binds the C library's error-text functions.
 */
final class NativeException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String call;
  private final int errno;

  NativeException(String call, int errno) {
    this.call = call;
    this.errno = errno;
  }

  @Override
  public String getMessage() {
    return call + " failed: " + Libc.errorText(errno) + " (" + Libc.errorName(errno) + ")";
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

package dev.subprocess.internal.linux;

/**
 * Passes on what a native call threw past its {@code catch (Throwable)}: {@code MethodHandle.invokeExact} declares
 * {@code Throwable}, but what really comes out of a downcall is an error of the JVM (an {@code OutOfMemoryError}
 * from an allocation, a {@code StackOverflowError}) or a runtime exception of the library's own, and each must
 * reach its handlers as it is, so that the fatal-error policy sees a fatal error and a refusal keeps its type.
 */
final class Thrown {
  private Thrown() {}

  /**
   * Throws {@code t} when it is a runtime exception; returns it when it is an error, for the caller to throw;
   * wraps anything else, which no downcall throws, in an {@code AssertionError}.
   */
  static Error asError(Throwable t) {
    if (t instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (t instanceof Error error) {
      return error;
    }
    return new AssertionError("a native call threw a checked exception", t);
  }
}

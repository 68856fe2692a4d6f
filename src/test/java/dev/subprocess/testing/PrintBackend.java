package dev.subprocess.testing;

import dev.subprocess.internal.Engine;

/**
 * A program for a child JVM: prints {@code backend: NAME} for the backend the library picks there, or
 * {@code refused: MESSAGE} when the backend it was told to use cannot run.
 */
public final class PrintBackend {
  private PrintBackend() {}

  public static void main(String[] args) {
    try {
      System.out.println("backend: " + Engine.backendName());
    } catch (ExceptionInInitializerError e) {
      System.out.println("refused: " + e.getCause().getMessage());
    }
  }
}

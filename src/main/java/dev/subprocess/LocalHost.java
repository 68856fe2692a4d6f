package dev.subprocess;

/** This machine: commands run here with the backend chosen for the JVM. */
final class LocalHost implements Host {
  static final LocalHost INSTANCE = new LocalHost();

  private LocalHost() {}

  @Override
  public String name() {
    return "local";
  }

  @Override
  public String toString() {
    return "Host.local()";
  }
}

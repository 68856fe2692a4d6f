package dev.subprocess;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Describes the backend that starts this JVM's local processes, and what it supports: {@code linux} (Java 22+ on
 * Linux with native access enabled: {@code posix_spawn} through the FFM API, one event-loop thread for every
 * process, every feature) or {@code jdk} (ProcessBuilder, on every platform and Java 17+). The backend is chosen
 * once per JVM; the system property {@code dev.subprocess.launcher} forces one by name.
 *
 * <p>The jdk backend does through standard programs what ProcessBuilder cannot: a {@link Feature#NEW_SESSION new
 * session} through util-linux {@code setsid} (one more exec per start), an {@link Feature#EXECUTABLE executable}
 * apart from argv[0] through {@code bash -c 'exec -a'} (one more exec), and {@link Feature#ANY_SIGNAL any signal}
 * through the shell's {@code kill} (a short-lived process per signal). What it does not support, a command that
 * needs it refuses with an {@link UnsupportedOperationException} that names the option.
 *
 * <pre>{@code
 * Backend backend = Subprocess.backend();
 * if (!backend.supports(Backend.Feature.TERMINAL)) {
 *   log.info("the {} backend cannot run ssh under a terminal", backend.name());
 * }
 * }</pre>
 */
public final class Backend {
  /**
   * Names what a backend may or may not do.
   *
   * <pre>{@code
   * boolean sessions = Subprocess.backend().supports(Backend.Feature.NEW_SESSION);
   * }</pre>
   */
  public enum Feature {
    /** {@link Command#terminal()}: a child under a pseudo-terminal. */
    TERMINAL,
    /** {@link Command#newSession()}: a child in a new session. */
    NEW_SESSION,
    /** {@link Command#passFds(int...)}: descriptors of this process kept open in the child. */
    PASS_FDS,
    /** {@link Command#executable(java.nio.file.Path)}: an argv[0] apart from the program executed. */
    EXECUTABLE,
    /** {@link RunningProcess#sendSignal(int)} and {@link Command#killSignal(int)} with any signal. */
    ANY_SIGNAL,
    /** {@link Command#pipeSize(int)}: pipes of the size asked (a hint the jdk backend ignores). */
    PIPE_SIZE,
    /** A child leading a process group of its own, so that the stop policy signals its descendants at once. */
    PROCESS_GROUP,
    /** {@link CompletedProcess#resourceUsage()}: the CPU time and memory of a child, measured when reaped. */
    RESOURCE_USAGE
  }

  private final String name;
  private final Set<Feature> features;

  Backend(String name, Set<Feature> features) {
    this.name = name;
    this.features = features.isEmpty()
        ? Collections.emptySet() : Collections.unmodifiableSet(EnumSet.copyOf(features));
  }

  /**
   * Returns the backend's name, as {@code -Ddev.subprocess.launcher} spells it: {@code linux} or {@code jdk}.
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Tells whether this backend supports {@code feature}.
   *
   * @param feature what to ask about
   * @return true when commands that use it run, false when they are refused
   */
  public boolean supports(Feature feature) {
    return features.contains(feature);
  }

  /**
   * Returns every feature this backend supports.
   *
   * @return an unmodifiable set
   */
  public Set<Feature> features() {
    return features;
  }

  /** Returns the name and the features, such as {@code jdk [NEW_SESSION, EXECUTABLE, ANY_SIGNAL]}. */
  @Override
  public String toString() {
    return name + " " + features;
  }
}

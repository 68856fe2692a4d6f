package dev.subprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The tests run against the packaged jar, whose Java 22 layer replaces base classes on a Java 22+ runtime. */
class MultiReleaseJarTest {

  @Test
  void theJava22LayerSeesNativeAccessEnabledForTheTests() {
    // The tests run with --enable-native-access=ALL-UNNAMED; only the Java 22 layer's class can tell.
    assertThat(Runtime.version().feature()).isGreaterThanOrEqualTo(22);
    assertThat(NativeAccess.isEnabled()).isTrue();
  }

  @Test
  void theDefaultBackendIsTheLinuxOneWhenNativeAccessIsEnabledAndAnUnknownNameIsRefused() {
    assertThat(Backends.select(null).name()).isEqualTo("linux");
    assertThat(Backends.select("jdk").name()).isEqualTo("jdk");
    assertThat(Backends.select("linux").name()).isEqualTo("linux");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Backends.select("bsd"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("dev.subprocess.launcher=bsd")
        .hasMessageContaining("jdk, linux");
  }
}

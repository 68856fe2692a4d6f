package dev.subprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.subprocess.Command;
import dev.subprocess.CompletedProcess;
import dev.subprocess.Redirect;
import dev.subprocess.testing.PrintBackend;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The line that says why the jdk backend runs names what would give the linux one, the way the library was
 * actually loaded: child JVMs load it from a classes directory, from a jar whose manifest lost
 * {@code Multi-Release: true}, from the class path and from the module path.
 */
class BackendAdviceTest {
  private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

  /** The test JVM's class path, the library's jar first. */
  private static List<String> classPath() {
    List<String> entries = new ArrayList<>(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
    String jar = libraryJar();
    entries.remove(jar);
    entries.add(0, jar);
    return entries;
  }

  private static String libraryJar() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(entry -> entry.matches(".*/reactor-subprocess-[^/]*\\.jar"))
        .findFirst().orElseThrow(() -> new AssertionError("the tests run against the packaged jar"));
  }

  private static CompletedProcess java(List<String> options, List<String> classPath) {
    List<String> argv = new ArrayList<>(List.of(JAVA));
    argv.addAll(options);
    argv.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), PrintBackend.class.getName()));
    return Command.of(argv).stdin(Redirect.DEVNULL).captureOutput().check().run().block();
  }

  @Test
  void fromAClassesDirectoryForcingLinuxSaysTheVersionedClassesAreMissing() {
    List<String> cp = classPath();
    cp.set(0, "target/classes");
    CompletedProcess jvm = java(List.of("--enable-native-access=ALL-UNNAMED", "-Ddev.subprocess.launcher=linux"), cp);
    assertThat(jvm.stdoutText())
        .startsWith("refused: -Ddev.subprocess.launcher=linux cannot be honoured: this is Java "
            + Runtime.version().feature())
        .contains("META-INF/versions/22", "were not loaded from file:", "target/classes/",
            "'Multi-Release: true'")
        .doesNotContain("needs Java 22 or later");
  }

  @Test
  void fromAClassesDirectoryTheDefaultSaysWhyItIsTheJdkBackend() {
    List<String> cp = classPath();
    cp.set(0, "target/classes");
    CompletedProcess jvm = java(List.of("--enable-native-access=ALL-UNNAMED"), cp);
    assertThat(jvm.stdoutText()).isEqualTo("backend: jdk\n");
    assertThat(jvm.stderrText()).contains("INFO", "uses its portable jdk backend", "META-INF/versions/22",
        "'Multi-Release: true'");
  }

  @Test
  void fromAJarWhoseManifestLostMultiReleaseTheDefaultSaysSo(@TempDir Path dir) throws IOException {
    Path shaded = dir.resolve("shaded.jar");
    copyWithoutMultiRelease(Path.of(libraryJar()), shaded);
    List<String> cp = classPath();
    cp.set(0, shaded.toString());
    CompletedProcess jvm = java(List.of("--enable-native-access=ALL-UNNAMED"), cp);
    assertThat(jvm.stdoutText()).isEqualTo("backend: jdk\n");
    assertThat(jvm.stderrText()).contains("were not loaded from file:" + shaded, "'Multi-Release: true'");
  }

  @Test
  void onTheClassPathWithoutNativeAccessTheLineNamesAllUnnamed() {
    CompletedProcess jvm = java(List.of(), classPath());
    assertThat(jvm.stdoutText()).isEqualTo("backend: jdk\n");
    assertThat(jvm.stderrText()).contains("INFO", "on the class path", "--enable-native-access=ALL-UNNAMED",
        "Enable-Native-Access: ALL-UNNAMED");
  }

  @Test
  void onTheModulePathAllUnnamedIsNotEnoughAndTheLineNamesTheModule() {
    CompletedProcess jvm = onTheModulePath("--enable-native-access=ALL-UNNAMED");
    assertThat(jvm.stdoutText()).isEqualTo("backend: jdk\n");
    assertThat(jvm.stderrText()).contains("INFO", "named module dev.subprocess",
        "--enable-native-access=dev.subprocess");
  }

  @Test
  void onTheModulePathNativeAccessForTheModuleGivesTheLinuxBackend() {
    CompletedProcess jvm = onTheModulePath("--enable-native-access=dev.subprocess");
    assertThat(jvm.stdoutText()).isEqualTo("backend: linux\n");
    assertThat(jvm.stderrText()).doesNotContain("portable jdk backend", "WARNING");
  }

  @Test
  void anExecutableJarWhoseManifestEnablesNativeAccessGetsTheLinuxBackend(@TempDir Path dir) throws IOException {
    // java -jar app.jar, with 'Enable-Native-Access: ALL-UNNAMED' and the libraries in lib/ (Class-Path).
    Files.createDirectory(dir.resolve("lib"));
    List<String> libraries = new ArrayList<>();
    for (String entry : classPath()) {
      Path from = Path.of(entry);
      if (Files.isRegularFile(from)) {
        Files.copy(from, dir.resolve("lib").resolve(from.getFileName()));
        libraries.add("lib/" + from.getFileName());
      }
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, PrintBackend.class.getName());
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", libraries));
    manifest.getMainAttributes().put(new Attributes.Name("Enable-Native-Access"), "ALL-UNNAMED");
    Path app = dir.resolve("app.jar");
    String program = PrintBackend.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(app); JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream in = PrintBackend.class.getClassLoader().getResourceAsStream(program)) {
      out.putNextEntry(new JarEntry(program));
      in.transferTo(out);
      out.closeEntry();
    }
    CompletedProcess jvm = Command.of(JAVA, "-jar", app.toString()).stdin(Redirect.DEVNULL).captureOutput().check()
        .run().block();
    assertThat(jvm.stdoutText()).isEqualTo("backend: linux\n");
    assertThat(jvm.stderrText()).doesNotContain("portable jdk backend", "WARNING");
  }

  @Test
  void javaToolOptionsCanCarryTheFlag() {
    List<String> argv = new ArrayList<>(List.of(JAVA, "-cp", String.join(File.pathSeparator, classPath()),
        PrintBackend.class.getName()));
    CompletedProcess jvm = Command.of(argv).env("JAVA_TOOL_OPTIONS", "--enable-native-access=ALL-UNNAMED")
        .stdin(Redirect.DEVNULL).captureOutput().check().run().block();
    assertThat(jvm.stdoutText()).isEqualTo("backend: linux\n");
    assertThat(jvm.stderrText()).contains("Picked up JAVA_TOOL_OPTIONS: --enable-native-access=ALL-UNNAMED");
  }

  /** Runs the library and its required modules on the module path; the test program and the rest on the class path. */
  private static CompletedProcess onTheModulePath(String nativeAccess) {
    List<String> modules = new ArrayList<>();
    List<String> rest = new ArrayList<>();
    for (String entry : classPath()) {
      boolean module = entry.equals(libraryJar()) || entry.matches(".*/(reactor-core|reactive-streams|slf4j-api)-[^/]*\\.jar");
      (module ? modules : rest).add(entry);
    }
    List<String> options = List.of(nativeAccess, "-p", String.join(File.pathSeparator, modules),
        "--add-modules", "dev.subprocess", "--add-exports", "dev.subprocess/dev.subprocess.internal=ALL-UNNAMED");
    return java(options, rest);
  }

  private static void copyWithoutMultiRelease(Path from, Path to) throws IOException {
    try (JarInputStream in = new JarInputStream(Files.newInputStream(from))) {
      Manifest manifest = new Manifest(in.getManifest());
      manifest.getMainAttributes().remove(new Attributes.Name("Multi-Release"));
      try (OutputStream file = Files.newOutputStream(to); JarOutputStream out = new JarOutputStream(file, manifest)) {
        for (JarEntry entry = in.getNextJarEntry(); entry != null; entry = in.getNextJarEntry()) {
          out.putNextEntry(new JarEntry(entry.getName()));
          in.transferTo(out);
          out.closeEntry();
        }
      }
    }
    try (InputStream check = Files.newInputStream(to); JarInputStream copy = new JarInputStream(check)) {
      assertThat(copy.getManifest().getMainAttributes().getValue("Multi-Release")).isNull();
    }
  }

  @Test
  void onJava17To21TheLineSaysWhatToUpgradeTo() {
    assertThat(Backends.advice(17, false, false))
        .contains("needs Java 22 or later, and this is Java 17", "Run on Java 22+")
        .doesNotContain("Multi-Release");
  }

  @Test
  void onJava22AndLaterTheLineNamesTheFlagOfTheModuleOrTheMissingLayer() {
    assertThat(Backends.advice(25, true, true)).contains("--enable-native-access=dev.subprocess")
        .doesNotContain("Multi-Release");
    assertThat(Backends.advice(25, true, false)).contains("--enable-native-access=ALL-UNNAMED")
        .doesNotContain("Multi-Release");
    assertThat(Backends.advice(25, false, false)).contains("'Multi-Release: true'")
        .doesNotContain("--enable-native-access");
  }
}

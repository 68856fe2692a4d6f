package dev.subprocess.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The backends (the jdk, linux and ssh launchers) depend on the engine's own types, never on the public API's
 * ({@code Redirect}, {@code ProcessStartException}, {@code Signals}, ...): the engine maps them in one place. Read
 * from the class files of the packaged jar, whose constant pools name every type a class refers to.
 */
class BackendTypesTest {
  /** A type of the public package itself, {@code dev/subprocess/Name}, as a class file names it. */
  private static final Pattern PUBLIC_TYPE = Pattern.compile("dev/subprocess/([A-Z][A-Za-z0-9_$]*)");
  private static final List<String> BACKENDS = List.of("dev/subprocess/internal/jdk/",
      "dev/subprocess/internal/ssh/", "META-INF/versions/22/dev/subprocess/internal/linux/");

  @Test
  void theBackendsReferToNoTypeOfThePublicPackage() throws IOException, URISyntaxException {
    Path jar = Path.of(Engine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(jar.toString()).as("the tests run against the packaged jar").endsWith(".jar");
    List<String> found = new ArrayList<>();
    int classes = 0;
    try (JarFile file = new JarFile(jar.toFile())) {
      for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
        JarEntry entry = entries.nextElement();
        if (!entry.getName().endsWith(".class") || BACKENDS.stream().noneMatch(entry.getName()::startsWith)) {
          continue;
        }
        classes++;
        Set<String> used = publicTypes(file, entry);
        if (!used.isEmpty()) {
          found.add(entry.getName() + " refers to " + used);
        }
      }
    }
    assertThat(classes).as("backend classes read").isGreaterThan(20);
    assertThat(found).isEmpty();
  }

  private static Set<String> publicTypes(JarFile file, JarEntry entry) throws IOException {
    byte[] bytes;
    try (InputStream in = file.getInputStream(entry)) {
      bytes = in.readAllBytes();
    }
    // Type names are ASCII in the constant pool's modified UTF-8: read byte for byte.
    Matcher m = PUBLIC_TYPE.matcher(new String(bytes, StandardCharsets.ISO_8859_1));
    Set<String> used = new TreeSet<>();
    while (m.find()) {
      used.add("dev.subprocess." + m.group(1));
    }
    return used;
  }
}

package dev.subprocess.testing;

import io.micrometer.context.ContextRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Captures what the library logs (the SLF4J simple logger writes to {@code System.err}) during each test, and
 * registers a context-propagation accessor for the Context key {@link #TRACE_ID}, recording every value the
 * library restores into its ThreadLocal, so that a test can check its log lines were written in the subscriber's
 * Context. Register it with {@code @RegisterExtension final CapturedLog log = new CapturedLog();}.
 */
public final class CapturedLog implements BeforeEachCallback, AfterEachCallback {
  /** The Context key (and ThreadLocal accessor name) whose value the library must restore around its logging. */
  public static final String TRACE_ID = "traceId";

  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private final List<String> restored = new CopyOnWriteArrayList<>();
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
  private PrintStream originalErr;

  @Override
  public void beforeEach(ExtensionContext context) {
    originalErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    ContextRegistry.getInstance().registerThreadLocalAccessor(TRACE_ID, CURRENT::get, value -> {
      restored.add(value);
      CURRENT.set(value);
    }, CURRENT::remove);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    System.setErr(originalErr);
    ContextRegistry.getInstance().removeThreadLocalAccessor(TRACE_ID);
    restored.clear();
  }

  /** Returns everything logged since the test began. */
  public String text() {
    return captured.toString(StandardCharsets.UTF_8);
  }

  /** Returns every {@link #TRACE_ID} value the library restored into a ThreadLocal since the test began. */
  public List<String> restored() {
    return restored;
  }
}

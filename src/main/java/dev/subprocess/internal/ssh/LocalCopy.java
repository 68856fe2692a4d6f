package dev.subprocess.internal.ssh;

import dev.subprocess.internal.PipeSource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a remote stream that is not piped to the application: into a local file or this process's own stdout
 * or stderr (written on a start thread, one chunk at a time, so the channel's window follows the writes), or
 * nowhere, for a stream the remote side already redirected, so that it can never hold the channel.
 */
final class LocalCopy implements PipeSource.ReadHandler {
  private static final Logger log = LoggerFactory.getLogger(LocalCopy.class);

  private final PipeSource source;
  private final OutputStream target;
  private final boolean closeTarget;
  private final String description;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  /** Set once a write to the target failed: what still comes is dropped. */
  private volatile boolean failed;

  private LocalCopy(PipeSource source, OutputStream target, boolean closeTarget, String description) {
    this.source = source;
    this.target = target;
    this.closeTarget = closeTarget;
    this.description = description;
  }

  /**
   * Copies {@code source} into {@code target} until it ends, then closes {@code target} if asked; the returned
   * future completes once the copy has ended and its target is closed.
   */
  static CompletableFuture<Void> start(PipeSource source, OutputStream target, boolean closeTarget,
      String description) {
    LocalCopy copy = new LocalCopy(source, target, closeTarget, description);
    source.read(copy);
    return copy.done;
  }

  /** Reads {@code source} until it ends, dropping what it brings. */
  static void drain(PipeSource source, String description) {
    start(source, null, false, description);
  }

  @Override
  public void onData(ByteBuffer chunk) {
    if (target == null || failed) {
      source.read(this);
      return;
    }
    SshThreads.START.execute(() -> {
      try {
        target.write(chunk.array(), chunk.arrayOffset() + chunk.position(), chunk.remaining());
        target.flush();
      } catch (IOException e) {
        // The rest is read and dropped: a stream left unread would hold the remote process on its full pipe.
        log.warn("could not copy {}: {}; dropping the rest of it", description, e.toString());
        failed = true;
      }
      source.read(this);
    });
  }

  @Override
  public void onEnd() {
    finish();
  }

  @Override
  public void onError(Throwable error) {
    log.debug("{} ended with {}", description, error.toString());
    finish();
  }

  private void finish() {
    if (closeTarget) {
      try {
        target.close();
      } catch (IOException e) {
        log.warn("could not close the file of {}: {}", description, e.toString());
      }
    }
    done.complete(null);
  }
}

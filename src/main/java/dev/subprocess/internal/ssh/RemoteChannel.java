package dev.subprocess.internal.ssh;

import java.io.IOException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * The {@code session} channel of one remote process, which can also send the {@code signal} request and learn
 * whether the server honoured it. OpenSSH's server refuses it (a failure reply) where it cannot signal: for
 * logins without post-authentication privilege separation, such as root's; the refusal runs the fallback given
 * with the request. Replies come in the order of the requests, the exec request's first.
 */
final class RemoteChannel extends ChannelExec {
  private final Queue<Runnable> signalFallbacks = new ConcurrentLinkedQueue<>();
  private volatile boolean execReplied;
  private volatile Runnable afterReply = () -> {};

  RemoteChannel(String command) {
    super(command, null, java.util.Map.of());
    // The exec request asks for a reply, so that the replies to signal requests can be told from it.
    org.apache.sshd.core.CoreModuleProperties.REQUEST_EXEC_REPLY.set(this, true);
  }

  /** Sets what runs after each reply to a {@code signal} request, once a refusal's fallback has been started. */
  void afterSignalReply(Runnable action) {
    this.afterReply = action;
  }

  /** Tells whether a {@code signal} request sent on this channel still awaits its reply. */
  boolean signalPending() {
    return !signalFallbacks.isEmpty();
  }

  /** Sends the {@code signal} request for {@code name}; runs {@code fallback} if the server refuses it. */
  void signal(String name, Runnable fallback) throws IOException {
    Buffer request = getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, name.length() + 32);
    request.putUInt(getRecipient());
    request.putString("signal");
    request.putBoolean(true);
    request.putString(name);
    signalFallbacks.add(fallback);
    try {
      writePacket(request);
    } catch (IOException | RuntimeException e) {
      signalFallbacks.remove(fallback);
      throw e;
    }
  }

  @Override
  public void handleSuccess() throws IOException {
    if (!execReplied) {
      execReplied = true;
      super.handleSuccess();
    } else {
      signalFallbacks.poll();
      afterReply.run();
    }
  }

  @Override
  public void handleFailure() throws IOException {
    if (!execReplied) {
      execReplied = true;
      super.handleFailure();
    } else {
      Runnable fallback = signalFallbacks.poll();
      if (fallback != null) {
        fallback.run();
      }
      afterReply.run();
    }
  }
}

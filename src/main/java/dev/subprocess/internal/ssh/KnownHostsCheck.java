package dev.subprocess.internal.ssh;

import java.net.SocketAddress;
import java.nio.file.Path;
import java.security.PublicKey;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Accepts a server only when its host key is in the known_hosts file, and records on the session why it refused
 * one (unknown, or changed), so that the start failure can say so. The last refusal is kept here too, for a
 * connection that fails before its session is handed out, or whose session has closed already, which forgets its
 * attributes (the pool opens one connection at a time).
 */
final class KnownHostsCheck extends KnownHostsServerKeyVerifier {
  /** Why the host key was refused, in words, set on the session that was refused. */
  static final AttributeKey<String> REFUSAL = new AttributeKey<>();

  private final Path file;
  private volatile String lastRefusal;

  KnownHostsCheck(Path file) {
    super(RejectAllServerKeyVerifier.INSTANCE, file);
    this.file = file;
    setModifiedServerKeyAcceptor(this);
  }

  /** Returns why the last host key was refused since the previous call, or null; forgets it. */
  String takeRefusal() {
    String refusal = lastRefusal;
    lastRefusal = null;
    return refusal;
  }

  private void refused(ClientSession session, String why) {
    lastRefusal = why;
    session.setAttribute(REFUSAL, why);
  }

  @Override
  protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
    refused(session, "the host key of " + remote + " is unknown: it is not in " + file + " (the"
        + " server offered " + KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key) + "). Add it with"
        + " ssh-keyscan once you have checked that fingerprint");
    return false;
  }

  @Override
  public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remote, KnownHostEntry entry,
      PublicKey expected, PublicKey actual) {
    refused(session, "the host key of " + remote + " has CHANGED: " + file + " has "
        + KeyUtils.getKeyType(expected) + " " + KeyUtils.getFingerPrint(expected) + ", the server offered "
        + KeyUtils.getKeyType(actual) + " " + KeyUtils.getFingerPrint(actual) + " (someone may be intercepting"
        + " the connection, or the host was reinstalled)");
    return false;
  }
}

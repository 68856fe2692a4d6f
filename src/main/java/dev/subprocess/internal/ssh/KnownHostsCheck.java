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
 * one (unknown, or changed), so that the start failure can say so.
 */
final class KnownHostsCheck extends KnownHostsServerKeyVerifier {
  /** Why the host key was refused, in words, set on the session that was refused. */
  static final AttributeKey<String> REFUSAL = new AttributeKey<>();

  private final Path file;

  KnownHostsCheck(Path file) {
    super(RejectAllServerKeyVerifier.INSTANCE, file);
    this.file = file;
    setModifiedServerKeyAcceptor(this);
  }

  @Override
  protected boolean acceptUnknownHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
    session.setAttribute(REFUSAL, "the host key of " + remote + " is unknown: it is not in " + file + " (the"
        + " server offered " + KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key) + "). Add it with"
        + " ssh-keyscan once you have checked that fingerprint");
    return false;
  }

  @Override
  public boolean acceptModifiedServerKey(ClientSession session, SocketAddress remote, KnownHostEntry entry,
      PublicKey expected, PublicKey actual) {
    session.setAttribute(REFUSAL, "the host key of " + remote + " has CHANGED: " + file + " has "
        + KeyUtils.getKeyType(expected) + " " + KeyUtils.getFingerPrint(expected) + ", the server offered "
        + KeyUtils.getKeyType(actual) + " " + KeyUtils.getFingerPrint(actual) + " (someone may be intercepting"
        + " the connection, or the host was reinstalled)");
    return false;
  }
}

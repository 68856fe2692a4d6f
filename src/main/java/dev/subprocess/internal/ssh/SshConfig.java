package dev.subprocess.internal.ssh;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

/**
 * Describes how to reach one SSH host: where, as whom, with which keys, how its host key is verified, and how
 * connections to it are shared.
 *
 * @param address the host name or address to connect to
 * @param port the TCP port
 * @param user the user to log in as
 * @param identityFiles private key files (OpenSSH or PEM format, unencrypted) offered for authentication
 * @param keyPairs key pairs offered for authentication
 * @param knownHosts the known_hosts file the server's host key must be in
 * @param maxSessions how many channels one connection carries at once (the server's {@code MaxSessions})
 * @param idleTimeout how long a connection without channels stays open
 * @param connectTimeout how long connecting and authenticating may take
 */
public record SshConfig(
    String address,
    int port,
    String user,
    List<Path> identityFiles,
    List<KeyPair> keyPairs,
    Path knownHosts,
    int maxSessions,
    Duration idleTimeout,
    Duration connectTimeout) {

  /** Returns how messages name the host: {@code user@address:port}. */
  public String name() {
    return user + "@" + address + ":" + port;
  }
}

package dk.sf1820.sftp;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens SFTP connections with JSch: public-key authentication only, host key checked against the
 * account's known_hosts (never "accept any host key"), modern algorithms (rsa-sha2, ed25519, GCM).
 *
 * <p>Sessions are pooled per account: at most {@code maxSessionsPerAccount} in use at once (further
 * callers wait up to the connect timeout, then fail retryably), and a closed connection's session is
 * reused for up to {@code maxIdle}, after a round trip proves it still alive; a dead one is replaced.
 * The host key is checked at every login, so a changed key is noticed within {@code maxIdle}.
 */
public class SftpConnector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SftpConnector.class);
    /**
     * SFTP write requests JSch keeps unanswered while uploading. Its default, 16 requests of 32 KiB,
     * leaves the connection idle while the server answers, the more so when the server delays its small
     * replies (MINA SSHD without TCP_NODELAY: about 30 MB/s on loopback). 128 (4 MiB in flight) uploads
     * to OpenSSH sshd and to the emulator faster than OpenSSH's own client (docs/benchmarks.md); it
     * costs a request id each, not buffered data.
     */
    static final int OUTSTANDING_REQUESTS = 128;

    private final Duration timeout;
    private final int maxSessionsPerAccount;
    private final Duration maxIdle;
    private final Map<SftpAccount, AccountSessions> pools = new ConcurrentHashMap<>();

    /**
     * @param timeout how long to wait for the server when connecting, and for a free session
     * @param maxSessionsPerAccount sessions of one account in use at once
     * @param maxIdle how long an unused session is kept for reuse; zero logs in afresh every time
     */
    public SftpConnector(Duration timeout, int maxSessionsPerAccount, Duration maxIdle) {
        if (maxSessionsPerAccount < 1) {
            throw new IllegalArgumentException(
                    "sf1820.sftp.max-sessions-per-account must be at least 1, was " + maxSessionsPerAccount);
        }
        this.timeout = timeout;
        this.maxSessionsPerAccount = maxSessionsPerAccount;
        this.maxIdle = maxIdle;
    }

    /** Without reuse: every {@link #open} logs in afresh. */
    public SftpConnector(Duration timeout) {
        this(timeout, 4, Duration.ZERO);
    }

    public SftpConnector() {
        this(Duration.ofSeconds(20));
    }

    /**
     * A connection of the account: a pooled session that still answers, or a fresh login. The caller
     * closes it, which hands the session back.
     */
    public SftpConnection open(SftpAccount account) throws SftpException {
        AccountSessions pool = pools.computeIfAbsent(account, a -> new AccountSessions(a, maxSessionsPerAccount));
        pool.acquire(timeout);
        try {
            SftpConnection reused = pool.reusable(maxIdle);
            if (reused != null) {
                log.debug("SFTP session reused user={} server={}", account.user(), account.server());
                return reused;
            }
            return connect(account, pool);
        } catch (SftpException | RuntimeException e) {
            pool.release();
            throw e;
        }
    }

    /** Logs out of every idle session. */
    @Override
    public void close() {
        pools.values().forEach(AccountSessions::closeIdle);
    }

    private SftpConnection connect(SftpAccount account, AccountSessions pool) throws SftpException {
        Session session = null;
        JSch jsch = new JSch();
        try {
            jsch.setKnownHosts(account.knownHosts().toString());
            if (account.passphrase() == null) {
                jsch.addIdentity(account.privateKey().toString());
            } else {
                jsch.addIdentity(account.privateKey().toString(), account.passphrase());
            }
            session = jsch.getSession(account.user(), account.host(), account.port());
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("HashKnownHosts", "no");
            session.setConfig("PreferredAuthentications", "publickey");
            session.setConfig("cipher.c2s", "aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes256-ctr");
            session.setConfig("cipher.s2c", "aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,aes256-ctr");
            session.setServerAliveInterval((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            session.connect((int) timeout.toMillis());
            ChannelSftp channel = (ChannelSftp) session.openChannel("sftp");
            channel.connect((int) timeout.toMillis());
            channel.setBulkRequests(OUTSTANDING_REQUESTS);
            log.debug("SFTP connected user={} server={}", account.user(), account.server());
            return new SftpConnection(account, session, channel, pool);
        } catch (JSchException e) {
            String presented = presentedHostKey(jsch, session);
            if (session != null) {
                session.disconnect();
            }
            throw classify(account, e, presented);
        }
    }

    /**
     * The host key the server presented, as {@code <type> <fingerprint>}: JSch names it for an
     * unknown key but not for a changed one, and the operator needs it in both cases to decide.
     */
    private static String presentedHostKey(JSch jsch, Session session) {
        HostKey key = session == null ? null : session.getHostKey();
        return key == null ? "none" : key.getType() + " " + key.getFingerPrint(jsch);
    }

    private static SftpException classify(SftpAccount account, JSchException e, String presented) {
        String message = String.valueOf(e.getMessage());
        String where = account.user() + "@" + account.server();
        if (message.contains("HostKey has been changed")
                || message.startsWith("UnknownHostKey")
                || message.contains("reject HostKey")) {
            return new SftpException(
                    "Host key of " + account.server() + " is not trusted by "
                            + account.knownHosts() + " (" + message + "; server presented " + presented
                            + "); transfers for " + account.user()
                            + " stop until an operator verifies the fingerprint and updates known_hosts",
                    false,
                    e);
        }
        if (message.contains("Auth fail") || message.contains("Auth cancel")) {
            return new SftpException(
                    "Public key of " + where + " was refused by the server (key file " + account.privateKey() + ")",
                    false,
                    e);
        }
        // JSch says "Incorrect passphrase provided." for a wrong passphrase of an OpenSSH-format key
        if (message.contains("invalid privatekey") || message.contains("decrypt") || message.contains("passphrase")) {
            return new SftpException(
                    "Private key " + account.privateKey() + " of " + account.user()
                            + " cannot be read (wrong passphrase or unsupported format)",
                    false,
                    e);
        }
        return new SftpException("Cannot connect to " + where + ": " + message, true, e);
    }
}

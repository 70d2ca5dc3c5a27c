package dk.sf1820.serviceplatform;

import dk.sf1820.schemas.sftp.PlatformRetention;
import dk.sf1820.serviceplatform.housekeeping.Housekeeping;
import dk.sf1820.serviceplatform.housekeeping.HousekeepingReport;
import dk.sf1820.serviceplatform.housekeeping.OwnerMailbox;
import dk.sf1820.serviceplatform.scan.BusinessReceipts;
import dk.sf1820.serviceplatform.scan.MetadataForm;
import dk.sf1820.serviceplatform.scan.ScanReport;
import dk.sf1820.serviceplatform.scan.TriggerScanner;
import dk.sf1820.serviceplatform.sftp.HomeLayoutProtection;
import dk.sf1820.serviceplatform.sftp.LinkRefusingFileSystemAccessor;
import dk.sf1820.serviceplatform.sftp.PendingTriggerProtection;
import dk.sf1820.serviceplatform.sftp.PlatformUsers;
import dk.sf1820.serviceplatform.sftp.UploadsInProgress;
import dk.sf1820.serviceplatform.ssh.HostKeys;
import dk.sf1820.serviceplatform.ssh.SignatureAlgorithms;
import dk.sf1820.serviceplatform.ssh.TransportCiphers;
import dk.sf1820.stage.PollSchedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An emulator of KOMBIT's Serviceplatform SFTP service as SF1820 uses it: a real SFTP server (Apache
 * MINA SSHD) with a home per user holding {@code IN} and {@code OUT}, public-key login only, and the
 * platform's trigger scan that routes data files to recipients with a {@code .metadata} file and
 * answers the sender with a technical receipt.
 *
 * <pre>{@code
 * try (ServiceplatformEmulator platform = ServiceplatformEmulator.builder().root(dir).port(0)
 *         .user("KSD_SFTPSIMPEL", key.publicKey()).build()) {
 *     platform.start();
 *     platform.writeKnownHosts(knownHosts);
 *     ScanReport report = platform.scanNow();
 * }
 * }</pre>
 */
public final class ServiceplatformEmulator implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    /** The platform scans every 10 minutes (SF1820 section 4). */
    public static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofMinutes(10);
    /** Files left unmodified this long are deleted (SF1820 section 4). */
    public static final Duration DEFAULT_RETENTION = PlatformRetention.RETENTION;
    /** The owner is warned this long before a file is deleted (SF1820 section 4). */
    public static final Duration DEFAULT_DELETION_WARNING =
            PlatformRetention.RETENTION.minus(PlatformRetention.WARNING_AFTER);

    private static final Logger log = LoggerFactory.getLogger(ServiceplatformEmulator.class);

    private final Path root;
    private final int requestedPort;
    private final Duration scanInterval;
    private final HostKeys hostKeys;
    private final PlatformUsers users;
    private final TriggerScanner scanner;
    private final Housekeeping housekeeping;
    private final OwnerMailbox mailbox;
    private final SshServer server;
    private PollSchedule scanSchedule;
    private boolean started;

    private ServiceplatformEmulator(Builder builder) {
        this.root = builder.root.toAbsolutePath().normalize();
        this.requestedPort = builder.port;
        this.scanInterval = builder.scanInterval;
        this.hostKeys = HostKeys.loadOrCreate(root);
        this.users = new PlatformUsers(root);
        builder.users.forEach((user, keys) -> keys.forEach(key -> users.add(user, key)));
        UploadsInProgress uploads = new UploadsInProgress();
        this.scanner = new TriggerScanner(
                users,
                uploads,
                builder.metadataForm,
                builder.businessReceipts ? new BusinessReceipts(users) : null,
                builder.clock);
        this.mailbox = new OwnerMailbox(root);
        this.housekeeping = new Housekeeping(users, mailbox, builder.retention, builder.deletionWarning, builder.clock);
        this.server = sshServer(uploads, builder.ciphers);
    }

    public static Builder builder() {
        return new Builder();
    }

    private SshServer sshServer(UploadsInProgress uploads, List<NamedFactory<Cipher>> ciphers) {
        SshServer sshd = SshServer.setUpDefaultServer();
        sshd.setHost(HOST);
        sshd.setPort(requestedPort);
        sshd.setKeyPairProvider(hostKeys.provider());
        // for host key signatures and user logins alike: no SHA-1 (ssh-rsa), as the README promises
        sshd.setSignatureFactories(SignatureAlgorithms.withoutSha1(sshd.getSignatureFactories()));
        sshd.setCipherFactories(ciphers);
        // Without TCP_NODELAY, Nagle's algorithm holds back the SFTP server's small status replies while
        // earlier ones are unacknowledged, and a client that waits for them (JSch with its 128 requests in
        // flight) uploaded at a third of OpenSSH sftp's speed; with it, as fast (docs/benchmarks.md).
        CoreModuleProperties.TCP_NODELAY.set(sshd, true);
        // public key only: no password, no keyboard-interactive, no GSS, no host-based login
        sshd.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        sshd.setPublickeyAuthenticator(users);
        sshd.setPasswordAuthenticator(null);
        sshd.setKeyboardInteractiveAuthenticator(null);
        sshd.setGSSAuthenticator(null);
        sshd.setHostBasedAuthenticator(null);
        sshd.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
        sshd.setFileSystemFactory(users.fileSystems());
        SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder()
                .withFileSystemAccessor(new LinkRefusingFileSystemAccessor())
                .build();
        // the refusing listeners first: an open they refuse is never counted as an upload in progress
        sftp.addSftpEventListener(new PendingTriggerProtection());
        sftp.addSftpEventListener(new HomeLayoutProtection());
        sftp.addSftpEventListener(uploads);
        sshd.setSubsystemFactories(List.of(sftp));
        return sshd;
    }

    /** Opens the SFTP port and, unless the interval is zero, starts the scheduled trigger scan. */
    public synchronized void start() {
        try {
            server.start();
            started = true;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot start the Serviceplatform emulator on " + HOST + ":" + requestedPort, e);
        }
        log.info(
                "Serviceplatform emulator started address={}:{} root={} hostKeyFingerprint={} hostKeyFingerprints={} "
                        + "scanInterval={} ciphers={} signatures={}",
                HOST,
                port(),
                root,
                hostKeys.fingerprint(),
                hostKeys.fingerprints(),
                scanInterval.isZero() ? "on demand" : scanInterval,
                NamedResource.getNames(server.getCipherFactories()),
                NamedResource.getNames(server.getSignatureFactories()));
        scanSchedule = new PollSchedule(
                "serviceplatform-trigger-scan",
                () -> {
                    scanner.scan();
                    housekeeping.run();
                },
                scanInterval,
                scanInterval,
                0);
        scanSchedule.start();
    }

    /**
     * One housekeeping run now: deletes files left unmodified for the retention time and warns the
     * owners of files that reach it within the warning period. Scheduled scans run it too.
     */
    public HousekeepingReport housekeepingNow() {
        return housekeeping.run();
    }

    /** One trigger scan now, waiting for a running scheduled scan to finish first. */
    public ScanReport scanNow() {
        return scanner.scan();
    }

    /** The port the server listens on (the chosen one when built with port 0). */
    public int port() {
        for (SocketAddress address : server.getBoundAddresses()) {
            if (address instanceof InetSocketAddress inet) {
                return inet.getPort();
            }
        }
        throw new IllegalStateException("The Serviceplatform emulator is not started");
    }

    public String host() {
        return HOST;
    }

    /** SSH sessions connected right now, logged in or not: how many clients work with the platform at once. */
    public int openSessions() {
        return server.getActiveSessions().size();
    }

    /** Registers a user, or one more key of a known user, while running; creates its IN and OUT. */
    public void addUser(String user, PublicKey key) {
        users.add(user, Objects.requireNonNull(key, "key"));
    }

    /** {@code <root>/users/<user>}, holding {@code IN} and {@code OUT}. */
    public Path home(String user) {
        return users.home(user);
    }

    public Path root() {
        return root;
    }

    /**
     * {@code <root>/mail/<user>}: where the mails the real platform would send to the user's owner are
     * written, e.g. {@code 20260331-deletion-warning.txt}. Not reachable over SFTP.
     */
    public Path mailbox(String user) {
        return mailbox.folder(user);
    }

    /** The users that may log in, in name order. */
    public List<String> users() {
        return users.names();
    }

    /** The ed25519 host key's SHA-256 fingerprint ({@code SHA256:…}), the key current clients choose. */
    public String hostKeyFingerprint() {
        return hostKeys.fingerprint();
    }

    /** The ed25519 host key. */
    public PublicKey hostKey() {
        return hostKeys.primary();
    }

    /** {@code [127.0.0.1]:<port> ssh-ed25519 <base64>}: the known_hosts line of the ed25519 host key. */
    public String knownHostsLine() {
        return knownHostsLines().get(0);
    }

    /** One known_hosts line per host key (ed25519, ECDSA, RSA): what a client needs whichever it picks. */
    public List<String> knownHostsLines() {
        return hostKeys.knownHostsLines(HOST, port());
    }

    /**
     * Appends a line per host key ({@code [127.0.0.1]:<port> <key type> <base64>}) to a known_hosts file,
     * creating it if needed, so that a client verifies the server whichever key type it negotiates.
     */
    public void writeKnownHosts(Path knownHostsFile) {
        String line = String.join(System.lineSeparator(), knownHostsLines()) + System.lineSeparator();
        try {
            Path parent = knownHostsFile.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(
                    knownHostsFile, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write known_hosts " + knownHostsFile, e);
        }
    }

    @Override
    public synchronized void close() {
        if (scanSchedule != null) {
            scanSchedule.stop();
            scanSchedule = null;
        }
        if (!started) {
            return;
        }
        started = false;
        try {
            server.stop(true);
            log.info("Serviceplatform emulator stopped root={}", root);
        } catch (IOException e) {
            log.warn("Serviceplatform emulator did not stop cleanly root={}: {}", root, e.toString());
        }
    }

    /** Builds an emulator; only {@link #root(Path)} is required. */
    public static final class Builder {

        private Path root;
        private int port;
        private Duration scanInterval = DEFAULT_SCAN_INTERVAL;
        private MetadataForm metadataForm = MetadataForm.TRIGGER;
        private Clock clock = Clock.systemUTC();
        private boolean businessReceipts;
        private Duration retention = DEFAULT_RETENTION;
        private Duration deletionWarning = DEFAULT_DELETION_WARNING;
        private final Map<String, List<PublicKey>> users = new LinkedHashMap<>();
        private List<NamedFactory<Cipher>> ciphers = TransportCiphers.of(TransportCiphers.DEFAULT);

        private Builder() {}

        /** Data root: {@code <root>/users/<user>/{IN,OUT}} and the host key. */
        public Builder root(Path root) {
            this.root = root;
            return this;
        }

        /** Listening port on 127.0.0.1; 0 picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 0..65535");
            }
            this.port = port;
            return this;
        }

        /** Time between scheduled trigger scans; {@link Duration#ZERO} scans only on {@link #scanNow()}. */
        public Builder scanInterval(Duration scanInterval) {
            if (scanInterval == null || scanInterval.isNegative()) {
                throw new IllegalArgumentException("scan interval must be zero or positive, was " + scanInterval);
            }
            this.scanInterval = scanInterval;
            return this;
        }

        /**
         * The root of the {@code .metadata} files: {@link MetadataForm#TRIGGER} (default, what the real
         * platform writes and public clients read) or the contract's {@link MetadataForm#FILE_METADATA}.
         */
        public Builder metadataForm(MetadataForm metadataForm) {
            this.metadataForm = Objects.requireNonNull(metadataForm, "metadataForm");
            return this;
        }

        /** How long an unmodified file is kept before housekeeping deletes it (default 30 days). */
        public Builder retention(Duration retention) {
            this.retention = requirePositive(retention, "retention");
            return this;
        }

        /** How long before the deletion its owner is warned (default 10 days). */
        public Builder deletionWarning(Duration deletionWarning) {
            this.deletionWarning = requirePositive(deletionWarning, "deletion warning");
            return this;
        }

        private static Duration requirePositive(Duration value, String name) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }

        /**
         * Also answer with the contract's {@code BusinessReceipt} ({@code <file>.businessreceipt} in the
         * sender's IN, ACCEPTED or REJECTED per recipient); off by default, as SF1820 promises only the
         * technical receipt.
         */
        public Builder businessReceipts(boolean businessReceipts) {
            this.businessReceipts = businessReceipts;
            return this;
        }

        /** Registers every user of a users file ({@link UsersFile}) with all of its keys. */
        public Builder users(Map<String, List<PublicKey>> keysByUser) {
            keysByUser.forEach((user, keys) -> keys.forEach(key -> user(user, key)));
            return this;
        }

        /**
         * The SSH ciphers offered, by their SSH names (default: AES-GCM and AES-CTR, see
         * {@link TransportCiphers}).
         *
         * @throws IllegalArgumentException naming a cipher that cannot be offered
         */
        public Builder ciphers(List<String> ciphers) {
            this.ciphers = TransportCiphers.of(ciphers);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Registers a user with a key it logs in with; call again for more users or keys. */
        public Builder user(String user, PublicKey key) {
            users.computeIfAbsent(user, u -> new java.util.ArrayList<>()).add(Objects.requireNonNull(key, "key"));
            return this;
        }

        public ServiceplatformEmulator build() {
            if (root == null) {
                throw new IllegalStateException("ServiceplatformEmulator.builder().root(...) is required");
            }
            return new ServiceplatformEmulator(this);
        }
    }
}

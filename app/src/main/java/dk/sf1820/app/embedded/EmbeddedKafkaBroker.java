package dk.sf1820.app.embedded;

import dk.sf1820.kafka.PrivateFiles;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker (KRaft, broker and controller in one) run as a child JVM from the application's
 * own classpath, with its data under the work directory so topics, and with them the audit trail,
 * survive a restart. Alone it is a single-node cluster; {@link EmbeddedKafkaCluster} makes several of
 * them one cluster with a controller quorum of all.
 *
 * <p>A child JVM rather than in-process: the broker keeps its own heap and threads, and it can be
 * stopped and restarted on its own. Its log goes to {@code <work>/logs/kafka.log} (a cluster's brokers:
 * {@code kafka-<node id>.log}), rolled over daily and at 10 MB with at most 100 MB kept; what the JVM
 * itself prints (a crash) to {@code kafka-console.log} ({@code kafka-<node id>-console.log}).
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);
    /** The broker's kafka.log rolls over at this size, and daily. */
    static final String LOG_MAX_FILE_SIZE = "10MB";
    /** The SCRAM users created when the storage was formatted, by name. */
    private static final String SCRAM_USERS = "scram-users";

    private static final String BOOT_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    private final Path dir;
    /** Where the cluster id and the brokers' own SCRAM password live: shared by every broker of a cluster. */
    private final Path sharedDir;

    private final Path logFile;
    private final int nodeId;
    private final int port;
    private final int controllerPort;
    /** The controller quorum, {@code id@host:port,...}; this broker alone unless it is part of a cluster. */
    private String voters;

    private int clusterSize = 1;
    private final EmbeddedKafkaSecurity security;
    private final Map<String, Object> clientConfig;
    private Process process;

    /**
     * A broker listening with PLAINTEXT on loopback.
     *
     * @param dir the broker's home: its properties, data and cluster id live here
     * @param port the client port; 0 picks a free one on the first start and keeps it afterwards
     */
    public EmbeddedKafkaBroker(Path dir, int port) {
        this(dir, port, EmbeddedKafkaSecurity.PLAINTEXT, Map.of());
    }

    /**
     * @param dir the broker's home: its properties, data and cluster id live here
     * @param port the client port; 0 picks a free one on the first start and keeps it afterwards
     * @param security how the client listener is secured
     * @param clientConfig the settings a client needs to be let in (security protocol, trust store,
     *     SASL), used to see that the broker serves
     */
    public EmbeddedKafkaBroker(Path dir, int port, EmbeddedKafkaSecurity security, Map<String, Object> clientConfig) {
        this(dir, dir, dir.getParent().resolve("logs").resolve("kafka.log"), 1, port, security, clientConfig);
    }

    /** A broker of a cluster; {@link #joining} tells it the quorum before it starts. */
    EmbeddedKafkaBroker(
            Path dir,
            Path sharedDir,
            Path logFile,
            int nodeId,
            int port,
            EmbeddedKafkaSecurity security,
            Map<String, Object> clientConfig) {
        this.dir = dir;
        this.sharedDir = sharedDir;
        this.logFile = logFile;
        this.nodeId = nodeId;
        this.security = security;
        this.clientConfig = Map.copyOf(clientConfig);
        Properties saved = loadPorts(dir);
        this.port = port != 0 ? port : Integer.parseInt(saved.getProperty("port", Integer.toString(freePort())));
        this.controllerPort = Integer.parseInt(saved.getProperty("controller.port", Integer.toString(freePort())));
        this.voters = nodeId + "@127.0.0.1:" + controllerPort;
    }

    /** Makes this broker one of {@code size} whose controllers are {@code voters}; before {@link #start}. */
    synchronized void joining(String voters, int size) {
        this.voters = voters;
        this.clusterSize = size;
    }

    int nodeId() {
        return nodeId;
    }

    /** {@code <node id>@127.0.0.1:<controller port>}, this broker's entry in the quorum. */
    String voter() {
        return nodeId + "@" + controllerAddress();
    }

    String controllerAddress() {
        return "127.0.0.1:" + controllerPort;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Formats the log directory on first use, starts the broker and waits until it serves clients. */
    public synchronized EmbeddedKafkaBroker start(Duration timeout) {
        launch(timeout);
        awaitReady(timeout);
        return this;
    }

    /**
     * Formats the log directory on first use and starts the broker's JVM without waiting for it: a
     * cluster's brokers serve only once a majority of the quorum runs, so all are launched first.
     */
    synchronized void launch(Duration timeout) {
        try {
            Files.createDirectories(dir.resolve("data"));
            Path logs = Files.createDirectories(logFile.getParent());
            Path config = writeConfig();
            if (!Files.exists(dir.resolve("data").resolve("meta.properties"))) {
                format(config, logs.resolve(logFile.getFileName().toString().replace(".log", "-format.log")), timeout);
            } else {
                requireScramUsersCreated();
            }
            log.info(
                    "starting embedded Kafka broker bootstrapServers={} nodeId={} protocol={} dataDir={}",
                    bootstrapServers(),
                    nodeId,
                    security.protocol(),
                    dir);
            process = new ProcessBuilder(javaCommand(List.of("kafka.Kafka", config.toString())))
                    .redirectErrorStream(true)
                    // the broker's own log rolls over (see writeConfig); here only what the JVM itself prints
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            logs.resolve(logFile.getFileName().toString().replace(".log", "-console.log"))
                                    .toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded Kafka broker in " + dir, e);
        }
    }

    private Path writeConfig() throws IOException {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", Integer.toString(nodeId));
        p.setProperty("controller.quorum.voters", voters);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.putAll(security.listenerProperties(port, controllerPort, security.sasl() ? brokerPassword() : null));
        p.setProperty("log.dirs", dir.resolve("data").toAbsolutePath().toString());
        // Kafka's own topics (offsets, transactions) as the pipeline's: three replicas where there are three
        // brokers, and a write needs two of them, so one broker may be down without stopping anything
        String replicas = Integer.toString(Math.min(3, clusterSize));
        String minInsync = Integer.toString(Math.min(2, clusterSize));
        p.setProperty("offsets.topic.replication.factor", replicas);
        p.setProperty("transaction.state.log.replication.factor", replicas);
        p.setProperty("transaction.state.log.min.isr", minInsync);
        p.setProperty("share.coordinator.state.topic.replication.factor", replicas);
        p.setProperty("share.coordinator.state.topic.min.isr", minInsync);
        p.setProperty("default.replication.factor", replicas);
        p.setProperty("min.insync.replicas", minInsync);
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.partitions", "6");
        p.setProperty("auto.create.topics.enable", "false");
        // the broker logs through the application's SLF4J binding (Logback); keep it to INFO in kafka.log, rolled
        // over daily and at 10 MB, at most 100 MB kept: a broker left running for months must not fill the disk
        String logs = logFile.getParent()
                .toAbsolutePath()
                .toString()
                .replace("&", "&amp;")
                .replace("<", "&lt;");
        String name = logFile.getFileName().toString().replace(".log", "");
        Files.writeString(dir.resolve("logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.rolling.RollingFileAppender">
                    <file>%1$s/%3$s.log</file>
                    <rollingPolicy class="ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy">
                      <fileNamePattern>%1$s/%3$s.%%d{yyyy-MM-dd}.%%i.log.gz</fileNamePattern>
                      <maxFileSize>%2$s</maxFileSize>
                      <maxHistory>14</maxHistory>
                      <totalSizeCap>100MB</totalSizeCap>
                    </rollingPolicy>
                    <encoder><pattern>%%d{ISO8601} %%-5level [%%thread] %%logger{36} - %%msg%%n</pattern></encoder>
                  </appender>
                  <logger name="org.apache.kafka" level="WARN"/>
                  <logger name="kafka" level="WARN"/>
                  <logger name="kafka.server.KafkaRaftServer" level="INFO"/>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """.formatted(logs, LOG_MAX_FILE_SIZE, name));
        Path file = dir.resolve("server.properties");
        ownerOnly(file);
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, "written by sf1820 for the embedded default; regenerated at every start");
        }
        Properties ports = new Properties();
        ports.setProperty("port", Integer.toString(port));
        ports.setProperty("controller.port", Integer.toString(controllerPort));
        try (var out = Files.newBufferedWriter(dir.resolve("ports.properties"))) {
            ports.store(out, "ports of the embedded broker, kept so clients find it after a restart");
        }
        return file;
    }

    /**
     * Formats the log directory, creating the SCRAM users in the same step (KRaft bootstraps them
     * from the storage format). Their passwords go to the child JVM through an argument file only
     * this user can read, never on its command line, where any local user could see them.
     */
    private void format(Path config, Path output, Duration timeout) throws IOException {
        // "--cluster-id=<id>" in one argument: an id that starts with '-' (1 in 64 of base64 ids, or one
        // written by an older version) would otherwise be read as an option and the format refused
        List<String> arguments =
                new ArrayList<>(List.of("format", "--cluster-id=" + clusterId(), "-c", config.toString()));
        security.scramCredentials(security.sasl() ? brokerPassword() : null)
                .values()
                .forEach(credential -> arguments.addAll(List.of("--add-scram", credential)));
        Path argumentFile = dir.resolve("format.args");
        ownerOnly(argumentFile);
        try {
            run(javaCommand("kafka.tools.StorageTool", arguments, argumentFile), output, timeout);
        } finally {
            Files.deleteIfExists(argumentFile);
        }
        Files.write(dir.resolve(SCRAM_USERS), security.scramUserNames());
    }

    /**
     * SCRAM users exist only if they were created when the storage was formatted: a broker whose
     * storage predates a user (or SASL_SSL altogether) would not let that user, or itself, in.
     */
    private void requireScramUsersCreated() throws IOException {
        Path file = dir.resolve(SCRAM_USERS);
        List<String> created = Files.exists(file) ? Files.readAllLines(file) : List.of();
        List<String> missing = security.scramUserNames().stream()
                .filter(u -> !created.contains(u))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("The embedded broker's storage in " + dir.resolve("data")
                    + " was formatted without the SCRAM users " + missing
                    + " (sf1820.embedded.kafka-security.scram-users);"
                    + " users are created only when the storage is first formatted: add them with kafka-configs"
                    + " --alter --add-config 'SCRAM-SHA-512=[password=...]' --entity-type users --entity-name <user>,"
                    + " or start from an empty " + dir + " (its topics are lost)");
        }
    }

    /** The password the broker uses to authenticate to itself, made once and kept with its data. */
    private String brokerPassword() throws IOException {
        Path file = sharedDir.resolve("broker.scram");
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new java.security.SecureRandom().nextBytes(random);
            ownerOnly(file);
            Files.writeString(
                    file, java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(random));
        }
        return Files.readString(file).strip();
    }

    /** Creates the file (empty) readable and writable by this user only, where the file system has POSIX permissions. */
    private static void ownerOnly(Path file) throws IOException {
        if (!Files.exists(file)) {
            Files.createFile(file);
        }
        PrivateFiles.restrict(file);
    }

    private String clusterId() throws IOException {
        Path file = sharedDir.resolve("cluster.id");
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        // Kafka's own generator: 16 random bytes in URL-safe base64, never starting with '-'
        String id = Uuid.randomUuid().toString();
        Files.writeString(file, id);
        return id;
    }

    private void run(List<String> command, Path output, Duration timeout) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("Kafka storage format failed, see " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while formatting Kafka storage", e);
        }
    }

    /**
     * The command that runs a Kafka main class on this application's classpath: directly when the
     * application runs from a plain classpath (tests, IDE), through Spring Boot's PropertiesLauncher
     * when it runs as an executable jar.
     */
    private List<String> javaCommand(List<String> mainAndArgs) {
        return javaCommand(mainAndArgs.get(0), mainAndArgs.subList(1, mainAndArgs.size()), null);
    }

    /**
     * As {@link #javaCommand(List)}, with the main class and its arguments in {@code argumentFile}
     * (the java launcher's {@code @file}) when one is given.
     */
    private List<String> javaCommand(String main, List<String> arguments, Path argumentFile) {
        List<String> mainAndArgs = new ArrayList<>();
        mainAndArgs.add(main);
        mainAndArgs.addAll(arguments);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xms128m");
        command.add("-Xmx512m");
        command.add("-Dlogback.configurationFile=" + dir.resolve("logback.xml").toAbsolutePath());
        String classPath = System.getProperty("java.class.path");
        boolean bootJar =
                !classPath.contains(File.pathSeparator) && classPath.endsWith(".jar") && isBootJar(Path.of(classPath));
        command.add("-cp");
        command.add(classPath);
        List<String> tail = new ArrayList<>();
        if (bootJar) {
            command.add("-Dloader.main=" + mainAndArgs.get(0));
            tail.add(BOOT_LAUNCHER);
            tail.addAll(mainAndArgs.subList(1, mainAndArgs.size()));
        } else {
            tail.addAll(mainAndArgs);
        }
        if (argumentFile == null) {
            command.addAll(tail);
        } else {
            try {
                Files.write(
                        argumentFile,
                        tail.stream().map(EmbeddedKafkaBroker::quoted).toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            command.add("@" + argumentFile.toAbsolutePath());
        }
        return command;
    }

    /** One argument as the java launcher's argument files quote it. */
    private static String quoted(String argument) {
        return "\"" + argument.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static boolean isBootJar(Path jar) {
        try (var zip = new java.util.zip.ZipFile(jar.toFile())) {
            return zip.getEntry("BOOT-INF/") != null || zip.getEntry("BOOT-INF/classes/") != null;
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits until the broker serves clients; stops it and throws when it does not within {@code timeout}. */
    void awaitReady(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, Object> config = new java.util.HashMap<>(clientConfig);
        config.putAll(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                2000));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "Embedded Kafka broker exited with " + process.exitValue() + ", see " + logFile);
            }
            if (serving()) {
                try (Admin admin = Admin.create(config)) {
                    admin.describeCluster().nodes().get(2, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    // the controller may still be electing itself
                }
            }
            pause();
        }
        close();
        throw new IllegalStateException(
                "Embedded Kafka broker did not become ready within " + timeout + ", see " + logFile);
    }

    /** Whether something (this broker, or one another sf1820 process started) serves the client port. */
    public boolean serving() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /**
     * Ends the broker at once, as {@code kill -9} or a lost machine would: no controlled shutdown, no
     * leadership handed over. {@link #start} brings it back on the same data.
     */
    public synchronized void kill() {
        if (process == null) {
            return;
        }
        try {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.warn("embedded Kafka broker killed bootstrapServers={} nodeId={}", bootstrapServers(), nodeId);
        process = null;
    }

    /** Stops the broker cleanly (SIGTERM, then waits for its controlled shutdown). */
    @Override
    public synchronized void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        log.info("embedded Kafka broker stopped bootstrapServers={}", bootstrapServers());
        process = null;
    }

    private static Properties loadPorts(Path dir) {
        Properties p = new Properties();
        Path file = dir.resolve("ports.properties");
        if (Files.exists(file)) {
            try (var in = Files.newBufferedReader(file)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return p;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

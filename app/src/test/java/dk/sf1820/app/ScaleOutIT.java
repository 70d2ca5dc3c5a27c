package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.app.embedded.EmbeddedKafkaCluster;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.registry.Authorities;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.serviceplatform.LocalKeys;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.testsupport.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, "A real cluster, started by the project": three brokers (a KRaft quorum of three, topics
 * with three replicas and {@code min.insync.replicas=2}) and three pipeline instances ({@code run},
 * each its own JVM and work directory, sharing the staging area and drop folder) deliver 300 extracts
 * of all five fagsystems for 60 municipalities to the Serviceplatform emulator, while one instance
 * and, later, one broker are killed as by {@code kill -9} and restarted. Afterwards every extract is
 * at DST exactly once, every transfer has exactly one outcome, no receipt was published twice and no
 * file is left in any sender's {@code OUT}.
 *
 * <p>Size and timings print as {@code scale-out:} lines. {@code -Dsf1820.scale-out.extracts=N}
 * changes the count; {@code -Dsf1820.scale-out.tracker-instances=1} runs the receipt tracker on the
 * first instance only.
 */
class ScaleOutIT {

    private static final int EXTRACTS = Integer.getInteger("sf1820.scale-out.extracts", 300);
    private static final int TRACKERS = Integer.getInteger("sf1820.scale-out.tracker-instances", 3);
    private static final int INSTANCES = 3;
    private static final Duration DELIVERED_WITHIN = Duration.ofMinutes(6);
    private static final Pattern SENDERS_FILE_ID = Pattern.compile("SendersFileId>\\s*([^<\\s]+)\\s*<");

    private Path work;
    private EmbeddedKafkaCluster cluster;
    private ServiceplatformEmulator emulator;
    private final Process[] pipelines = new Process[INSTANCES + 1];
    private final FagsystemRegistry registry = FagsystemRegistry.standard();
    private List<String> accountArguments;

    @BeforeEach
    void workDir() throws IOException {
        work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "scale-out-it-")
                .toAbsolutePath();
    }

    @AfterEach
    void stop() throws InterruptedException {
        for (Process pipeline : pipelines) {
            if (pipeline != null) {
                pipeline.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        if (emulator != null) {
            emulator.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void threeInstancesOnThreeBrokersDeliverEveryExtractOnceThroughKills() throws Exception {
        long begun = System.nanoTime();
        cluster = EmbeddedKafkaCluster.of(work.resolve("kafka"), 3).start(Duration.ofMinutes(3));
        String servers = cluster.bootstrapServers();
        startEmulator();
        long clusterUp = System.nanoTime();

        // Given three instances sharing the staging area and the drop folder
        for (int i = 1; i <= INSTANCES; i++) {
            pipelines[i] = startPipeline(servers, i, "first");
        }
        for (int i = 1; i <= INSTANCES; i++) {
            awaitStarted(i, "first");
        }
        long instancesUp = System.nanoTime();

        // When 300 extracts arrive while one instance and then one broker are killed and restarted
        List<String[]> plan = plan();
        int third = plan.size() / 3;
        drop(plan.subList(0, third));
        pipelines[2].destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        long instanceKilled = System.nanoTime();
        drop(plan.subList(third, 2 * third));
        cluster.broker(2).kill();
        long brokerKilled = System.nanoTime();
        pipelines[2] = startPipeline(servers, 2, "restarted");
        drop(plan.subList(2 * third, plan.size()));
        long allDropped = System.nanoTime();
        awaitStarted(2, "restarted");
        // a broker killed mid-write recovers its logs first: minutes on a loaded machine
        cluster.broker(2).start(Duration.ofMinutes(5));
        long brokerBack = System.nanoTime();

        // Then every extract reaches DST, each once, with exactly one outcome per transfer
        await("all " + plan.size() + " extracts at DST with an outcome (logs in " + work + ")")
                .atMost(DELIVERED_WITHIN)
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> {
                    for (int i = 1; i <= INSTANCES; i++) {
                        assertThat(pipelines[i].isAlive())
                                .as("pipeline %d alive, see %s", i, log(i))
                                .isTrue();
                    }
                    return dstFilesBySendersFileId().size() >= plan.size()
                            && outcomes(servers).keySet().size() >= plan.size();
                });
        long delivered = System.nanoTime();

        System.out.printf(
                "scale-out: %d extracts, %d fagsystems, %d municipalities, %d brokers, %d instances "
                        + "(receipt tracker on %d)%n",
                plan.size(),
                registry.withExtract().size(),
                plan.stream().map(p -> p[1]).distinct().count(),
                cluster.size(),
                INSTANCES,
                TRACKERS);
        System.out.printf(
                "scale-out: cluster and emulator up %.1f s; instances up %.1f s later; instance 2 killed "
                        + "%.1f s and broker 2 killed %.1f s after the first drop; all dropped at %.1f s; broker 2 back at "
                        + "%.1f s; all delivered %.1f s after the first drop; whole test %.1f s%n",
                seconds(clusterUp - begun),
                seconds(instancesUp - clusterUp),
                seconds(instanceKilled - instancesUp),
                seconds(brokerKilled - instancesUp),
                seconds(allDropped - instancesUp),
                seconds(brokerBack - instancesUp),
                seconds(delivered - instancesUp),
                seconds(System.nanoTime() - begun));

        Map<String, Long> atDst = dstFilesBySendersFileId();
        assertThat(atDst).hasSize(plan.size());
        assertThat(atDst.entrySet())
                .as("data files at DST per SendersFileId")
                .allSatisfy(e -> assertThat(e.getValue()).as(e.getKey()).isEqualTo(1L));

        Map<String, List<Object>> outcomes = outcomes(servers);
        assertThat(outcomes.keySet())
                .as("transfers with an outcome are those at DST")
                .isEqualTo(atDst.keySet());
        assertThat(outcomes.entrySet())
                .as("outcomes per transfer")
                .allSatisfy(e -> assertThat(e.getValue())
                        .as(e.getKey())
                        .hasSize(1)
                        .allSatisfy(o -> assertThat(o).isInstanceOf(DeliverySucceeded.class)));

        Map<String, Long> receipts = TopicReader.readAll(servers, Topics.RECEIPT_RECEIVED.name()).stream()
                .filter(r -> r.value() instanceof ReceiptReceived)
                .collect(Collectors.groupingBy(ConsumerRecord::key, TreeMap::new, Collectors.counting()));
        Map<String, Long> repeated = new TreeMap<>(receipts);
        repeated.values().removeIf(count -> count == 1);
        System.out.printf(
                "scale-out: %d ReceiptReceived for %d transfers, %d of them published more than once%n",
                receipts.values().stream().mapToLong(Long::longValue).sum(), receipts.size(), repeated.size());
        assertThat(receipts).as("transfers with a ReceiptReceived").hasSize(plan.size());
        assertThat(repeated)
                .as("transfers whose ReceiptReceived was published more than once")
                .isEmpty();

        await("every sender's OUT empty")
                .atMost(Duration.ofMinutes(1))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(filesInSendersOut()).isEmpty());
        assertThat(files(work.resolve("drop")))
                .as("drop folder, refused/ included")
                .isEmpty();
        assertReplicated(servers);
    }

    /** 60 municipalities × five fagsystems (fewer with a smaller count), one extract each, period M03. */
    private List<String[]> plan() {
        List<Fagsystem> fagsystems = registry.withExtract();
        List<String> authorities = new ArrayList<>(Authorities.all().keySet());
        List<String[]> plan = new ArrayList<>();
        for (int i = 0; i < EXTRACTS; i++) {
            String authority = authorities.get(i / fagsystems.size() % authorities.size());
            plan.add(new String[] {fagsystems.get(i % fagsystems.size()).code(), authority, "M03", "extract-" + i});
        }
        return plan;
    }

    /** Drops the extracts, ten at a time, a tenth of a second apart: a steady stream the kills fall into. */
    private void drop(List<String[]> extracts) throws IOException, InterruptedException {
        int n = 0;
        for (String[] e : extracts) {
            Path folder = Files.createDirectories(
                    work.resolve("drop").resolve(e[0]).resolve(e[1]).resolve(e[2]));
            Files.writeString(folder.resolve(e[3] + ".csv"), "sagsnummer;beloeb\n" + e[3] + ";1,00\n");
            Files.writeString(folder.resolve(e[3] + ".csv.done"), "");
            if (++n % 10 == 0) {
                Thread.sleep(100); // pacing the arrivals, not waiting for a condition
            }
        }
    }

    private void startEmulator() throws IOException {
        Path keys = work.resolve("keys");
        Set<String> users = new LinkedHashSet<>();
        for (Fagsystem f : registry.withExtract()) {
            users.add(f.sftpUser());
            users.addAll(f.recipients());
        }
        ServiceplatformEmulator.Builder builder = ServiceplatformEmulator.builder()
                .root(work.resolve("serviceplatform"))
                .port(0)
                .scanInterval(Duration.ofSeconds(1));
        for (String user : users) {
            builder.user(user, LocalKeys.loadOrGenerate(keys, user).publicKey());
        }
        emulator = builder.build();
        emulator.start();
        Path knownHosts = keys.resolve("known_hosts");
        emulator.writeKnownHosts(knownHosts);
        accountArguments = new ArrayList<>();
        int i = 0;
        for (String user : users) {
            String account = "--sf1820.sftp.accounts[" + i++ + "].";
            accountArguments.addAll(List.of(
                    account + "user=" + user,
                    account + "host=127.0.0.1",
                    account + "port=" + emulator.port(),
                    account + "private-key="
                            + LocalKeys.loadOrGenerate(keys, user).privateKey(),
                    account + "known-hosts=" + knownHosts));
        }
    }

    private Process startPipeline(String servers, int instance, String run) throws IOException {
        Path staging = work.resolve("staging");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // three pipelines and three brokers share two cores: a quick start and little JIT work
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dk.sf1820.schemas.avro",
                "-cp",
                System.getProperty("java.class.path"),
                Sf1820Application.class.getName(),
                "run",
                "--work-dir",
                work.resolve("instance-" + instance).toString(),
                "--bootstrap-servers",
                servers,
                "--server.port=0",
                "--sf1820.instance-id=pipeline-" + instance,
                // its own processing folder in the shared drop folder (the default, the host name, is one for all
                // three)
                "--sf1820.extractor.drop-folder.instance=pipeline-" + instance,
                "--sf1820.stages=extractor,packager,transporter" + (instance <= TRACKERS ? ",receipt-tracker" : ""),
                "--sf1820.embedded.serviceplatform=false",
                "--sf1820.kafka.replication-factor=3",
                "--sf1820.kafka.min-insync-replicas=2",
                "--sf1820.extractor.staging-dir=" + staging,
                "--sf1820.packager.staging-dir=" + staging,
                "--sf1820.transporter.staging-dir=" + staging,
                "--sf1820.extractor.drop-folder.dir=" + work.resolve("drop"),
                "--sf1820.extractor.drop-folder.poll-interval=200ms",
                "--sf1820.receipt-tracker.poll-interval=500ms"));
        command.addAll(accountArguments);
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(instance).toFile()))
                .start();
    }

    private Path log(int instance) {
        return work.resolve("pipeline-" + instance + ".log");
    }

    private void awaitStarted(int instance, String run) {
        Path log = log(instance);
        long starts = "first".equals(run) ? 1 : 2;
        // JVM and Spring start-up: 10-20 s alone, minutes on a 2-core machine shared with other builds
        await("instance " + instance + " started (" + run + ", " + log + ")")
                .atMost(Duration.ofMinutes(6))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    assertThat(pipelines[instance].isAlive())
                            .as("pipeline %d alive, see %s", instance, log)
                            .isTrue();
                    return Files.readString(log)
                                    .lines()
                                    .filter(l -> l.contains("Started Sf1820Application"))
                                    .count()
                            >= starts;
                });
    }

    /** Data files in DST's IN, counted by the SendersFileId their {@code .metadata} names. */
    private Map<String, Long> dstFilesBySendersFileId() throws IOException {
        Map<String, Long> counts = new TreeMap<>();
        Set<String> recipients = registry.withExtract().stream()
                .flatMap(f -> f.recipients().stream())
                .collect(Collectors.toSet());
        for (String recipient : recipients) {
            for (Path metadata : files(emulator.home(recipient).resolve("IN"))) {
                String name = metadata.getFileName().toString();
                if (!name.endsWith(".metadata")
                        || !Files.exists(
                                metadata.resolveSibling(name.substring(0, name.length() - ".metadata".length())))) {
                    continue;
                }
                Matcher id = SENDERS_FILE_ID.matcher(Files.readString(metadata));
                if (id.find()) {
                    counts.merge(id.group(1), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    private static Map<String, List<Object>> outcomes(String servers) {
        if (!topicExists(servers, Topics.DELIVERY_OUTCOME.name())) {
            return Map.of();
        }
        return TopicReader.readAll(servers, Topics.DELIVERY_OUTCOME.name()).stream()
                .collect(Collectors.groupingBy(
                        ConsumerRecord::key,
                        TreeMap::new,
                        Collectors.mapping(ConsumerRecord::value, Collectors.toList())));
    }

    private List<Path> filesInSendersOut() throws IOException {
        List<Path> left = new ArrayList<>();
        for (Fagsystem f : registry.withExtract()) {
            left.addAll(files(emulator.home(f.sftpUser()).resolve("OUT")));
        }
        return left;
    }

    /** The pipeline's topics have three replicas and need two in sync for a write. */
    private static void assertReplicated(String servers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            Map<String, TopicDescription> topics = admin.describeTopics(
                            List.of(Topics.EXTRACT_READY.name(), Topics.DELIVERY_OUTCOME.name()))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            assertThat(topics.values())
                    .allSatisfy(t -> assertThat(t.partitions())
                            .allSatisfy(
                                    p -> assertThat(p.replicas()).as(t.name()).hasSize(3)));
            var resources = topics.keySet().stream()
                    .map(name -> new org.apache.kafka.common.config.ConfigResource(
                            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, name))
                    .toList();
            assertThat(admin.describeConfigs(resources)
                            .all()
                            .get(30, TimeUnit.SECONDS)
                            .values())
                    .allSatisfy(config -> assertThat(
                                    config.get("min.insync.replicas").value())
                            .isEqualTo("2"));
        }
    }

    private static boolean topicExists(String servers, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic);
        } catch (Exception e) {
            return false;
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).toList();
        } catch (UncheckedIOException e) {
            // a file claimed or moved while we walk: the caller looks again
            return List.of(dir);
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}

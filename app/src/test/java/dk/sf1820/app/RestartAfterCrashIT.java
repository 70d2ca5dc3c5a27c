package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.app.embedded.EmbeddedKafkaBroker;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.testsupport.TopicReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, "Restart after a crash": the pipeline runs as a child JVM ({@code ./sf1820 run} with every
 * stage), is killed as by {@code kill -9} after it delivered one extract, and is started again on the
 * same work directory. The restarted instance must package and upload a new extract within 15 s of
 * having started: its consumer group members are static ({@code group.instance.id} from
 * {@code sf1820.instance-id}), so it takes its partitions back without waiting for the dead members'
 * sessions to expire (45 s by default).
 */
class RestartAfterCrashIT {

    static final Duration RESUME_WITHIN = Duration.ofSeconds(15);
    /** sf1820.kafka.partitions' default, the most consumers the packager and transporter run per group. */
    static final int PARTITIONS = 6;

    /** Under target/, so the pipeline's logs outlive a failed run. */
    private Path work;

    private EmbeddedKafkaBroker broker;
    private Process pipeline;

    @BeforeEach
    void workDir() throws IOException {
        work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "restart-after-crash-it-")
                .toAbsolutePath();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (pipeline != null) {
            pipeline.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aRestartedInstanceResumesWithin15Seconds() throws Exception {
        broker = new EmbeddedKafkaBroker(work.resolve("broker"), 0).start(Duration.ofSeconds(60));
        String servers = broker.bootstrapServers();

        // Given an instance that has delivered an extract, so every stage's consumers are group members
        pipeline = startPipeline(servers, "first");
        drop("before-crash.csv");
        awaitCount(servers, 1, Duration.ofSeconds(180), "first");

        // When it is killed without a chance to leave its groups, and started again
        pipeline.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        long launched = System.nanoTime();
        pipeline = startPipeline(servers, "restarted");
        drop("after-restart.csv");

        // Then the new extract is packaged and uploaded within 15 s of the restarted instance being up
        // (JVM and Spring start-up alone take 5-16 s on a loaded 2-core machine, which no group setting changes)
        Path log = work.resolve("pipeline-restarted.log");
        await("restarted instance started (" + log + ")")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Files.readString(log).contains("Started Sf1820Application"));
        long started = System.nanoTime();
        awaitUploads(servers, 2, Duration.ofSeconds(120), "restarted");
        long uploaded = System.nanoTime();
        awaitCount(servers, 2, Duration.ofSeconds(120), "restarted");
        long delivered = System.nanoTime();
        Duration resumed = Duration.ofNanos(uploaded - started);
        System.out.printf(
                "restart after kill -9: new extract uploaded %.1f s after the restarted instance started "
                        + "(%.1f s after its launch, of which start-up %.1f s); delivered %.1f s after its launch%n",
                seconds(resumed),
                seconds(Duration.ofNanos(uploaded - launched)),
                seconds(Duration.ofNanos(started - launched)),
                seconds(Duration.ofNanos(delivered - launched)));
        assertThat(resumed)
                .as("from the restarted instance's start to the new extract's upload (log: %s)", log)
                .isLessThan(RESUME_WITHIN);

        // and every group holds only the restarted instance's static members: the dead ones were replaced
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            List<String> groups = admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
                    .map(g -> g.groupId())
                    .toList();
            assertThat(groups)
                    .contains(
                            "sf1820-packager",
                            "sf1820-transporter",
                            "sf1820-receipt-tracker",
                            "sf1820-receipt-tracker-housekeeping");
            for (ConsumerGroupDescription group : admin.describeConsumerGroups(groups)
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .values()) {
                // at most one member per partition (the packager's and transporter's consumers, and their
                // retry topics', run one per partition), each a static member of its own: a dead member left
                // behind would be one too many or share its name
                assertThat(group.members())
                        .as(group.groupId())
                        .hasSizeLessThanOrEqualTo(consumersOf(group.groupId()))
                        .allSatisfy(m -> assertThat(m.groupInstanceId())
                                .as(group.groupId())
                                .isPresent());
                assertThat(group.members().stream()
                                .map(m -> m.groupInstanceId().orElseThrow())
                                .distinct())
                        .as(group.groupId())
                        .hasSameSizeAs(group.members());
            }
        }
        assertThat(Files.readString(log)).doesNotContainIgnoringCase("fenced");
    }

    /** The consumers the instance runs in a group: one per partition for the packager and the transporter. */
    private static int consumersOf(String groupId) {
        return groupId.startsWith("sf1820-packager") || groupId.startsWith("sf1820-transporter") ? PARTITIONS : 1;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    private void drop(String name) throws IOException {
        Path folder = Files.createDirectories(work.resolve("drop/KSD/0561/M03"));
        Files.writeString(folder.resolve(name), "sagsnummer;beloeb\n" + name + ";1,00\n");
        Files.writeString(folder.resolve(name + ".done"), "");
    }

    private void awaitUploads(String servers, int count, Duration atMost, String run) {
        awaitDistinct(servers, Topics.TRANSFER_UPLOADED.name(), TransferUploaded.class, count, atMost, run);
    }

    private void awaitCount(String servers, int count, Duration atMost, String run) {
        awaitDistinct(servers, Topics.DELIVERY_OUTCOME.name(), DeliverySucceeded.class, count, atMost, run);
    }

    private void awaitDistinct(String servers, String topic, Class<?> type, int count, Duration atMost, String run) {
        await(run + ": " + count + " × " + type.getSimpleName() + " (log " + work.resolve("pipeline-" + run + ".log")
                        + ")")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    assertThat(pipeline.isAlive())
                            .as("pipeline alive, see its log")
                            .isTrue();
                    Set<String> keys = topicExists(servers, topic)
                            ? TopicReader.readAll(servers, topic).stream()
                                    .filter(r -> type.isInstance(r.value()))
                                    .map(r -> r.key())
                                    .collect(Collectors.toSet())
                            : Set.of();
                    return keys.size() >= count;
                });
    }

    private static boolean topicExists(String servers, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic);
        } catch (Exception e) {
            return false;
        }
    }

    private Process startPipeline(String servers, String run) throws IOException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dk.sf1820.schemas.avro",
                "-cp",
                System.getProperty("java.class.path"),
                Sf1820Application.class.getName(),
                "run",
                "--work-dir",
                work.toString(),
                "--bootstrap-servers",
                servers,
                "--server.port=0",
                "--sf1820.extractor.drop-folder.dir=" + work.resolve("drop"),
                "--sf1820.extractor.drop-folder.poll-interval=200ms",
                "--sf1820.embedded.scan-interval=500ms",
                "--sf1820.receipt-tracker.poll-interval=500ms",
                "--sf1820.dst-receiver.poll-interval=500ms");
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(
                        work.resolve("pipeline-" + run + ".log").toFile()))
                .start();
    }
}

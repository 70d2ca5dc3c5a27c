package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.testsupport.TopicReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, "The embedded default": a second {@code ./sf1820 run} on the work directory of a running
 * one (here with the embedded default as a three-broker cluster, {@code sf1820.embedded.kafka-brokers=3})
 * joins it as a second pipeline instance. It uses the running broker and emulator, starts no second
 * emulator on the same folders, leaves {@code known_hosts} as it was and takes its own instance id
 * (no member is fenced); {@code demo} on the same work directory is refused, saying why.
 */
class SecondInstanceIT {

    private Path work;
    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        // the first instance last: it holds the broker, which it stops on a clean exit
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroy();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aSecondRunOnTheSameWorkDirectoryJoinsTheFirst() throws Exception {
        work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "second-instance-it-")
                .toAbsolutePath();
        Process first = start("first", "run");
        awaitLog("first", "Started Sf1820Application", first);
        Path knownHosts = work.resolve("keys/known_hosts");
        String hostsBefore = Files.readString(knownHosts);
        long hostsModified = Files.getLastModifiedTime(knownHosts).toMillis();

        Process second = start("second", "run");
        awaitLog("second", "Started Sf1820Application", second);

        assertThat(Files.readString(log("second")))
                .contains("joining the running embedded default as instance 2")
                .contains("reusing the embedded Kafka broker already running")
                .doesNotContain("embedded Serviceplatform emulator on");
        assertThat(Files.readString(knownHosts)).isEqualTo(hostsBefore);
        assertThat(Files.getLastModifiedTime(knownHosts).toMillis()).isEqualTo(hostsModified);
        assertThat(Files.readString(log("first"))).doesNotContainIgnoringCase("fenced");

        // a one-shot command with its own emulator is refused, saying how to go on
        Process demo = start("demo", "demo");
        assertThat(demo.waitFor(3, TimeUnit.MINUTES)).isTrue();
        processes.remove(demo);
        assertThat(demo.exitValue()).isNotZero();
        assertThat(Files.readString(log("demo")))
                .contains("is in use by a running ./sf1820 run")
                .contains("its own --work-dir");

        // and an extract dropped while both run is delivered, through topics with three replicas
        Properties kafka = new Properties();
        try (var in = Files.newBufferedReader(work.resolve("kafka/broker-1/ports.properties"))) {
            kafka.load(in);
        }
        String servers = "127.0.0.1:" + kafka.getProperty("port");
        drop("while-both-run.csv");
        await("delivered, logs in " + work)
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> TopicReader.readAll(servers, Topics.DELIVERY_OUTCOME.name()).stream()
                        .anyMatch(r -> r.value() instanceof DeliverySucceeded));
        assertThat(first.isAlive()).isTrue();
        assertThat(second.isAlive()).isTrue();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
            assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .hasSize(3);
            assertThat(admin.describeTopics(List.of(Topics.DELIVERY_OUTCOME.name()))
                            .allTopicNames()
                            .get(30, TimeUnit.SECONDS)
                            .get(Topics.DELIVERY_OUTCOME.name())
                            .partitions())
                    .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
        }
    }

    private void drop(String name) throws IOException {
        Path folder = Files.createDirectories(work.resolve("drop/KSD/0561/M03"));
        Files.writeString(folder.resolve(name), "sagsnummer;beloeb\n" + name + ";1,00\n");
        Files.writeString(folder.resolve(name + ".done"), "");
    }

    private Path log(String name) {
        return work.resolve(name + ".log");
    }

    private void awaitLog(String name, String text, Process process) {
        await(name + ": " + text + " (" + log(name) + ")")
                .atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    assertThat(process.isAlive())
                            .as("%s alive, see %s", name, log(name))
                            .isTrue();
                    return Files.readString(log(name)).contains(text);
                });
    }

    private Process start(String name, String command) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dk.sf1820.schemas.avro",
                "-cp",
                System.getProperty("java.class.path"),
                Sf1820Application.class.getName(),
                command,
                "--work-dir",
                work.toString(),
                "--server.port=0"));
        if (command.equals("run")) {
            args.addAll(List.of(
                    "--sf1820.embedded.kafka-brokers=3",
                    "--sf1820.extractor.drop-folder.dir=" + work.resolve("drop"),
                    "--sf1820.extractor.drop-folder.poll-interval=200ms",
                    "--sf1820.embedded.scan-interval=500ms",
                    "--sf1820.receipt-tracker.poll-interval=500ms",
                    "--sf1820.dst-receiver.poll-interval=500ms"));
        }
        Process process = new ProcessBuilder(args)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(name).toFile()))
                .start();
        processes.add(process);
        return process;
    }
}

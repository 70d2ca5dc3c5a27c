package dk.sf1820.receipts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.kafka.PipelineMetrics;
import dk.sf1820.receipts.correlation.CorrelationStreams;
import dk.sf1820.receipts.housekeeping.SenderFolderSweep;
import dk.sf1820.receipts.housekeeping.SweepReport;
import dk.sf1820.receipts.ownership.KafkaGroupOwnership;
import dk.sf1820.receipts.poll.PollReport;
import dk.sf1820.receipts.poll.ReceiptMatcher;
import dk.sf1820.receipts.poll.ReceiptPoller;
import dk.sf1820.schemas.HousekeepingAction;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.HousekeepingPerformed;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.ReceiptType;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import dk.sf1820.serviceplatform.LocalKey;
import dk.sf1820.serviceplatform.LocalKeys;
import dk.sf1820.serviceplatform.ServiceplatformEmulator;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.testsupport.MutableClock;
import dk.sf1820.testsupport.TopicReader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * Issue 13: three tracker instances (three Spring contexts, three Kafka Streams members) on one broker
 * and one emulator. Every sender account is polled and swept by exactly one instance; a receipt is
 * published once, and correlated, even when its transfer's correlation partition lives on another
 * instance and the receipt names the transfer only by a fagsystem's own file-name pattern; a file's
 * 20-day report is published once in the cluster; and when an instance stops, its senders move to
 * another, which repeats none of its once-only duties.
 */
@EmbeddedKafka(
        partitions = 6,
        brokerProperties = {
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0"
        })
class SenderOwnershipIT {

    private static final FagsystemRegistry STANDARD = FagsystemRegistry.standard();
    private static final Fagsystem KY = STANDARD.requireExtract("KY");
    /** KY with its own file-name pattern, as a municipality may configure it. */
    private static final Fagsystem KY_CUSTOM = new Fagsystem(
            KY.code(),
            KY.name(),
            true,
            KY.sftpUser(),
            KY.recipients(),
            KY.recipientCode(),
            KY.contentType(),
            "{authority}-{sender}-{period-no-year}-{timestamp}.zip",
            null,
            null);

    private static final List<Fagsystem> SENDERS = List.of(
            STANDARD.requireExtract("KSD"),
            STANDARD.requireExtract("DUBU"),
            KY_CUSTOM,
            STANDARD.requireExtract("FBS"),
            STANDARD.requireExtract("KP"));
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);

    /** Every instance's clock: moved 21 days on for the deadline report. */
    private static final MutableClock CLOCK = new MutableClock(Instant.now());

    private static FagsystemRegistry registry;
    private static SftpAccounts accounts;

    @TempDir
    Path work;

    @Test
    void everySenderHasOneOwnerEveryReceiptIsPublishedOnceAndAStoppedInstancesSendersMove(EmbeddedKafkaBroker broker)
            throws Exception {
        String brokers = broker.getBrokersAsString();
        try (ServiceplatformEmulator platform = startPlatform()) {
            List<ConfigurableApplicationContext> instances = new ArrayList<>();
            try {
                for (int i = 1; i <= 3; i++) {
                    instances.add(startInstance(brokers, "tracker-" + i));
                }
                awaitEverySenderOwnedOnce(instances);
                EventPublisher publisher = instances.get(0).getBean(EventPublisher.class);

                // Given one transfer per sender, its receipt in the sender's IN; KY's receipt lacks
                // SendersFileId and KY names its files by its own pattern
                Map<String, TransferRef> transfers = new java.util.LinkedHashMap<>();
                for (Fagsystem sender : SENDERS) {
                    boolean custom = sender == KY_CUSTOM;
                    String fileName = custom
                            ? "0101-KY-K1-20260302081530.zip"
                            : sender.code() + "_DST_0101_M03_20260302081530.zip";
                    TransferRef ref =
                            new TransferRef(UUID.randomUUID().toString(), sender.code(), "0101", custom ? "K1" : "M03");
                    publisher.publish(Topics.TRANSFER_UPLOADED, uploaded(ref, sender, fileName));
                    Files.write(
                            platform.home(sender.sftpUser()).resolve("IN").resolve(fileName + ".sftpreceipt"),
                            SftpXml.write(successReceipt(custom ? null : ref.transferId())));
                    transfers.put(sender.sftpUser(), ref);
                }
                awaitUploadsSeenEverywhere(instances, transfers);

                // When all three instances poll at the same moment, twice
                List<PollReport> polls = new ArrayList<>();
                for (int round = 0; round < 2; round++) {
                    polls.addAll(allAtOnce(
                            instances, c -> () -> c.getBean(ReceiptPoller.class).pollOnce()));
                }

                // Then each sender was polled by one instance per round, every receipt published once
                assertThat(polls).noneMatch(PollReport::skipped);
                Map<String, Long> pollsPerSender = polls.stream()
                        .flatMap(p -> p.polled().stream())
                        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
                assertThat(pollsPerSender)
                        .hasSize(SENDERS.size())
                        .allSatisfy((sender, count) -> assertThat(count)
                                .as("polls of %s in two rounds", sender)
                                .isEqualTo(2));
                assertThat(polls.stream().mapToInt(p -> p.published().size()).sum())
                        .isEqualTo(SENDERS.size());
                for (Fagsystem sender : SENDERS) {
                    try (var in = Files.list(platform.home(sender.sftpUser()).resolve("IN"))) {
                        assertThat(in).as("%s's IN", sender.sftpUser()).isEmpty();
                    }
                }
                // and each instance reports the receipts kept of the senders it owns only: across the instances
                // each sender has one series, its owner's (a 0 from every other instance would hide it in a max)
                List<String> reported = new ArrayList<>();
                for (ConfigurableApplicationContext instance : instances) {
                    SimpleMeterRegistry meters = new SimpleMeterRegistry();
                    instance.getBean(ReceiptPoller.class).pollOnce().recordIn(new PipelineMetrics(meters));
                    List<String> senders = meters.find(PipelineMetrics.RECEIPTS_KEPT).gauges().stream()
                            .map(g -> g.getId().getTag("sender"))
                            .toList();
                    assertThat(senders)
                            .allSatisfy(sender -> assertThat(instance.getBean(KafkaGroupOwnership.class)
                                            .owns(sender))
                                    .as("%s reported by an instance that does not own it", sender)
                                    .isTrue());
                    reported.addAll(senders);
                }
                assertThat(reported)
                        .containsExactlyInAnyOrderElementsOf(
                                SENDERS.stream().map(Fagsystem::sftpUser).toList());
                // and each transfer has one ReceiptReceived and one outcome, whichever instance correlates it
                for (TransferRef ref : transfers.values()) {
                    SpecificRecordBase outcome = await().atMost(Duration.ofSeconds(60))
                            .until(
                                    () -> eventsOf(brokers, Topics.DELIVERY_OUTCOME.name(), ref.transferId()),
                                    list -> !list.isEmpty())
                            .get(0);
                    assertThat(outcome)
                            .isInstanceOfSatisfying(
                                    DeliverySucceeded.class,
                                    s -> assertThat(TransferRef.of(s)).isEqualTo(ref));
                    assertThat(eventsOf(brokers, Topics.RECEIPT_RECEIVED.name(), ref.transferId()))
                            .singleElement()
                            .isInstanceOfSatisfying(
                                    ReceiptReceived.class,
                                    r -> assertThat(TransferRef.of(r)).isEqualTo(ref));
                }
                assertThat(eventsOf(
                                brokers,
                                Topics.RECEIPT_RECEIVED.name(),
                                transfers.get(KY.sftpUser()).transferId()))
                        .singleElement()
                        .isInstanceOfSatisfying(
                                ReceiptReceived.class,
                                r -> assertThat(r.getCorrelatedBy()).isEqualTo(ReceiptMatcher.BY_FILE_NAME));

                // Given each sender's data file in OUT, 21 days later
                for (Fagsystem sender : SENDERS) {
                    TransferRef ref = transfers.get(sender.sftpUser());
                    String fileName = fileNameOf(brokers, ref);
                    Files.writeString(
                            platform.home(sender.sftpUser()).resolve("OUT").resolve(fileName), "rows");
                }
                CLOCK.advance(Duration.ofDays(21));

                // When all three sweep at once, twice
                List<SweepReport> sweeps = new ArrayList<>();
                for (int round = 0; round < 2; round++) {
                    sweeps.addAll(allAtOnce(
                            instances,
                            c -> () -> c.getBean(SenderFolderSweep.class).sweepOnce()));
                }

                // Then each sender was swept by one instance per round and each file reported once
                assertThat(sweeps.stream()
                                .flatMap(s -> s.swept().stream())
                                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting())))
                        .hasSize(SENDERS.size())
                        .allSatisfy((sender, count) -> assertThat(count).isEqualTo(2));
                assertThat(deadlineReports(brokers, transfers.values())).hasSize(SENDERS.size());

                // When the owner of KSD stops
                String ksd = SENDERS.get(0).sftpUser();
                ConfigurableApplicationContext owner = instances.stream()
                        .filter(c -> c.getBean(KafkaGroupOwnership.class).owns(ksd))
                        .findFirst()
                        .orElseThrow();
                instances.remove(owner);
                long stoppedAt = System.nanoTime();
                owner.close();

                // Then another instance owns KSD within the session timeout
                awaitEverySenderOwnedOnce(instances);
                Duration takeover = Duration.ofNanos(System.nanoTime() - stoppedAt);
                System.out.printf(
                        "SenderOwnershipIT: senders of the stopped instance taken over in %d ms%n",
                        takeover.toMillis());
                assertThat(takeover).isLessThan(SESSION_TIMEOUT);

                // and the new owners sweep every sender, never one sender twice in a round, but report no file
                // a second time. Rounds are repeated until one covers every sender: the group may rebalance once
                // more after the takeover (cooperative rebalancing moves a sender in two steps), and a sender in
                // between owners is swept by nobody for that round (seen in CI), never by two.
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .untilAsserted(() -> {
                            List<String> swept =
                                    allAtOnce(
                                                    instances,
                                                    c -> () -> c.getBean(SenderFolderSweep.class)
                                                            .sweepOnce())
                                            .stream()
                                            .flatMap(r -> r.swept().stream())
                                            .toList();
                            assertThat(swept).doesNotHaveDuplicates();
                            assertThat(swept)
                                    .containsExactlyInAnyOrderElementsOf(SENDERS.stream()
                                            .map(Fagsystem::sftpUser)
                                            .toList());
                        });
                assertThat(deadlineReports(brokers, transfers.values())).hasSize(SENDERS.size());
            } finally {
                instances.forEach(ConfigurableApplicationContext::close);
            }
        }
    }

    private ServiceplatformEmulator startPlatform() throws Exception {
        Path keys = Files.createDirectories(work.resolve("keys"));
        ServiceplatformEmulator.Builder builder = ServiceplatformEmulator.builder()
                .root(work.resolve("platform"))
                .port(0)
                .scanInterval(Duration.ZERO);
        Map<String, LocalKey> senderKeys = new java.util.LinkedHashMap<>();
        for (Fagsystem sender : SENDERS) {
            LocalKey key = LocalKeys.generate(keys, sender.sftpUser());
            senderKeys.put(sender.sftpUser(), key);
            builder.user(sender.sftpUser(), key.publicKey());
        }
        ServiceplatformEmulator platform = builder.build();
        platform.start();
        Path knownHosts = work.resolve("known_hosts");
        platform.writeKnownHosts(knownHosts);
        accounts = new SftpAccounts(senderKeys.entrySet().stream()
                .map(e -> new SftpAccount(
                        e.getKey(),
                        platform.host(),
                        platform.port(),
                        e.getValue().privateKey(),
                        null,
                        knownHosts))
                .toList());
        registry = new FagsystemRegistry(STANDARD.all().stream()
                .map(f -> f.code().equals(KY.code()) ? KY_CUSTOM : f)
                .toList());
        return platform;
    }

    private ConfigurableApplicationContext startInstance(String brokers, String name) {
        return new SpringApplicationBuilder(TrackerApp.class)
                .run(
                        "--spring.kafka.bootstrap-servers=" + brokers,
                        "--spring.kafka.client-id=" + name,
                        "--spring.kafka.streams.state-dir=" + work.resolve(name).resolve("streams"),
                        "--spring.kafka.streams.properties.commit.interval.ms=100",
                        // static members, as the app makes them (sf1820.instance-id)
                        "--spring.kafka.consumer.properties.group.instance.id=" + name,
                        "--spring.kafka.streams.properties.group.instance.id=" + name,
                        "--spring.kafka.consumer.properties.session.timeout.ms=" + SESSION_TIMEOUT.toMillis(),
                        "--spring.kafka.streams.properties.session.timeout.ms=" + SESSION_TIMEOUT.toMillis(),
                        "--sf1820.kafka.partitions=6",
                        "--sf1820.receipt-tracker.poll-interval=0",
                        "--sf1820.receipt-tracker.housekeeping-interval=0",
                        "--sf1820.receipt-tracker.timeout=1h",
                        // far beyond the clock's 21 days: the files in OUT are reported, never deleted as orphans
                        "--sf1820.receipt-tracker.orphan-age=400d",
                        "--spring.main.web-application-type=none");
    }

    private static void awaitEverySenderOwnedOnce(List<ConfigurableApplicationContext> instances) {
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    for (ConfigurableApplicationContext instance : instances) {
                        if (instance.getBean(CorrelationStreams.class).state().orElseThrow()
                                        != KafkaStreams.State.RUNNING
                                || !instance.getBean(KafkaGroupOwnership.class).ready()) {
                            return false;
                        }
                    }
                    return SENDERS.stream()
                            .allMatch(sender -> instances.stream()
                                            .filter(c -> c.getBean(KafkaGroupOwnership.class)
                                                    .owns(sender.sftpUser()))
                                            .count()
                                    == 1);
                });
    }

    /** Every instance can tell every transfer (the global uploads store), whichever partition it is on. */
    private static void awaitUploadsSeenEverywhere(
            List<ConfigurableApplicationContext> instances, Map<String, TransferRef> transfers) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> instances.stream()
                        .allMatch(c -> transfers.values().stream()
                                .allMatch(ref -> c.getBean(CorrelationStreams.class)
                                        .byTransferId(ref.transferId())
                                        .isPresent())));
    }

    private static <T> List<T> allAtOnce(
            List<ConfigurableApplicationContext> instances, Function<ConfigurableApplicationContext, Callable<T>> task)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(instances.size());
        try {
            List<Future<T>> futures =
                    pool.invokeAll(instances.stream().map(task).toList());
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<HousekeepingPerformed> deadlineReports(String brokers, Collection<TransferRef> transfers) {
        List<String> ids = transfers.stream().map(TransferRef::transferId).toList();
        return TopicReader.readAll(brokers, Topics.HOUSEKEEPING.name()).stream()
                .filter(r -> ids.contains(r.key()))
                .map(ConsumerRecord::value)
                .map(HousekeepingPerformed.class::cast)
                .filter(h -> HousekeepingAction.DEADLINE_NEAR.name().equals(h.getAction()))
                .toList();
    }

    private static String fileNameOf(String brokers, TransferRef ref) {
        return eventsOf(brokers, Topics.TRANSFER_UPLOADED.name(), ref.transferId()).stream()
                .map(TransferUploaded.class::cast)
                .findFirst()
                .orElseThrow()
                .getFileName();
    }

    private static List<SpecificRecordBase> eventsOf(String brokers, String topic, String transferId) {
        return TopicReader.readAll(brokers, topic).stream()
                .filter(r -> transferId.equals(r.key()))
                .map(ConsumerRecord::value)
                .toList();
    }

    private static TransferUploaded uploaded(TransferRef ref, Fagsystem sender, String fileName) {
        TransferUploaded uploaded = ref.stamp(new TransferUploaded(), Clock.systemUTC());
        uploaded.setSender(sender.sftpUser());
        uploaded.setFileName(fileName);
        uploaded.setRemoteDataPath("/OUT/" + fileName);
        uploaded.setRemoteTriggerPath("/OUT/" + fileName + ".trigger");
        uploaded.setSizeBytes(4L);
        uploaded.setDurationMillis(1L);
        uploaded.setServer("127.0.0.1:22");
        return uploaded;
    }

    private static TechnicalReceiptType successReceipt(String sendersFileId) {
        TechnicalReceiptType receipt = new TechnicalReceiptType();
        receipt.setFileTransferUUID(UUID.randomUUID().toString());
        receipt.setSendersFileId(sendersFileId);
        ReceiptType success = new ReceiptType();
        success.setMessage("SUCCESS");
        receipt.setReceipt(success);
        return receipt;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ReceiptTrackerConfiguration.class)
    static class TrackerApp {

        @Bean
        FagsystemRegistry fagsystemRegistry() {
            return registry;
        }

        @Bean
        SftpAccounts sftpAccounts() {
            return accounts;
        }

        @Bean
        Clock clock() {
            return CLOCK;
        }
    }
}

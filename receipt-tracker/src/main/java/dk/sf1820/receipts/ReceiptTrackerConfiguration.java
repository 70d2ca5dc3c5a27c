package dk.sf1820.receipts;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.kafka.PipelineKafkaProperties;
import dk.sf1820.kafka.PipelineMetrics;
import dk.sf1820.kafka.StageHalt;
import dk.sf1820.receipts.correlation.CorrelationStreams;
import dk.sf1820.receipts.correlation.ReceiptCorrelationTopology;
import dk.sf1820.receipts.housekeeping.FailedTransferCleanupListener;
import dk.sf1820.receipts.housekeeping.HousekeepingGuardListener;
import dk.sf1820.receipts.housekeeping.SenderFolderSweep;
import dk.sf1820.receipts.ownership.EverySenderOwned;
import dk.sf1820.receipts.ownership.KafkaGroupOwnership;
import dk.sf1820.receipts.ownership.SenderOwnership;
import dk.sf1820.receipts.poll.ReceiptArchive;
import dk.sf1820.receipts.poll.ReceiptMatcher;
import dk.sf1820.receipts.poll.ReceiptPoller;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.sftp.SftpConnector;
import dk.sf1820.stage.PollSchedule;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The receipt tracker stage: the correlation topology on Kafka Streams (connection from
 * {@code spring.kafka.*}, state directory from {@code spring.kafka.streams.state-dir}) and the
 * scheduled poll of the senders' IN folders.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReceiptTrackerProperties.class)
public class ReceiptTrackerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ReceiptTrackerConfiguration.class);

    @Bean
    CorrelationStreams correlationStreams(
            ReceiptTrackerProperties properties,
            KafkaProperties kafka,
            PipelineKafkaProperties pipeline,
            StageHalt halt,
            PipelineMetrics metrics) {
        // the store's changelog and repartition topics are replicated like the pipeline's own topics
        Map<String, Object> connection = new HashMap<>(kafka.buildStreamsProperties());
        connection.putIfAbsent(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) pipeline.replicationFactor());
        connection.putIfAbsent(
                StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), pipeline.minInsyncReplicas());
        return new CorrelationStreams(
                ReceiptCorrelationTopology.build(
                        properties.timeout(), properties.punctuateInterval(), properties.forgetAfter(), metrics),
                ReceiptCorrelationTopology.streamsConfig(connection, properties.applicationId()),
                halt,
                true,
                metrics);
    }

    /** Which sender accounts this instance polls and sweeps ({@code sf1820.receipt-tracker.ownership.*}). */
    @Bean
    SenderOwnership senderOwnership(
            ReceiptTrackerProperties properties, KafkaProperties kafka, StageHalt halt, PipelineMetrics metrics) {
        ReceiptTrackerProperties.Ownership ownership = properties.ownership();
        log.info(
                "sender ownership mode={} topic={} groupId={}",
                ownership.mode(),
                ownership.topic(),
                ownership.groupId());
        if (ownership.mode() == ReceiptTrackerProperties.OwnershipMode.ALL) {
            return new EverySenderOwned();
        }
        return new KafkaGroupOwnership(
                ownership.topic(),
                ownership.groupId(),
                kafka.buildConsumerProperties(),
                kafka.buildProducerProperties(),
                halt,
                metrics);
    }

    /** The duties topic: compacted, as it keeps one marker per once-only duty done. */
    @Bean
    KafkaAdmin.NewTopics dutiesTopic(
            ReceiptTrackerProperties properties, ObjectProvider<PipelineKafkaProperties> kafka) {
        ReceiptTrackerProperties.Ownership ownership = properties.ownership();
        if (ownership.mode() == ReceiptTrackerProperties.OwnershipMode.ALL) {
            return new KafkaAdmin.NewTopics();
        }
        PipelineKafkaProperties pipeline = kafka.getIfAvailable(() -> null);
        short replicas = pipeline == null ? 1 : pipeline.replicationFactor();
        int minInsync = pipeline == null ? 1 : pipeline.minInsyncReplicas();
        return new KafkaAdmin.NewTopics(new NewTopic(ownership.topic(), ownership.partitions(), replicas)
                .configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG,
                        TopicConfig.CLEANUP_POLICY_COMPACT,
                        TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG,
                        Integer.toString(minInsync))));
    }

    /** The sender accounts this tracker serves, resolved once for the poll, the sweep and the cleanup. */
    @Bean
    OwnedSenders ownedSenders(
            ReceiptTrackerProperties properties,
            FagsystemRegistry registry,
            SftpAccounts accounts,
            SenderOwnership senderOwnership) {
        return new OwnedSenders(senders(properties, registry, accounts), senderOwnership);
    }

    @Bean
    ReceiptPoller receiptPoller(
            ReceiptTrackerProperties properties,
            FagsystemRegistry registry,
            OwnedSenders ownedSenders,
            SftpConnector connector,
            EventPublisher publisher,
            CorrelationStreams correlationStreams,
            ObjectProvider<Clock> clock) {
        return new ReceiptPoller(
                ownedSenders,
                connector,
                publisher,
                correlationStreams,
                new ReceiptMatcher(correlationStreams, registry),
                new ReceiptArchive(properties.archiveDir()),
                properties.folders(),
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    HousekeepingGuardListener housekeepingTopicGuard() {
        return new HousekeepingGuardListener();
    }

    @Bean
    FailedTransferCleanupListener failedTransferCleanup(
            ReceiptTrackerProperties properties,
            FagsystemRegistry registry,
            OwnedSenders ownedSenders,
            SftpConnector connector,
            EventPublisher publisher,
            ObjectProvider<Clock> clock) {
        return new FailedTransferCleanupListener(
                ownedSenders.accounts(),
                registry,
                connector,
                publisher,
                properties.folders(),
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    SenderFolderSweep senderFolderSweep(
            ReceiptTrackerProperties properties,
            OwnedSenders ownedSenders,
            SftpConnector connector,
            EventPublisher publisher,
            CorrelationStreams correlationStreams,
            ObjectProvider<Clock> clock) {
        return new SenderFolderSweep(
                ownedSenders,
                connector,
                publisher,
                correlationStreams,
                properties.orphanAge(),
                properties.deadlineWarningAfter(),
                properties.folders(),
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    PollSchedule housekeepingSchedule(
            SenderFolderSweep senderFolderSweep, ReceiptTrackerProperties properties, PipelineMetrics metrics) {
        log.info(
                "housekeeping sweep interval={} orphanAge={} deadlineWarningAfter={} archiveDir={}",
                properties.housekeepingInterval(),
                properties.orphanAge(),
                properties.deadlineWarningAfter(),
                properties.archiveDir() == null ? "off" : properties.archiveDir());
        return new PollSchedule(
                "sf1820-receipt-housekeeping",
                () -> senderFolderSweep.sweepOnce().recordIn(metrics),
                properties.housekeepingInterval(),
                properties.housekeepingInterval(),
                CorrelationStreams.PHASE + 1);
    }

    @Bean
    PollSchedule receiptPollSchedule(
            ReceiptPoller receiptPoller, ReceiptTrackerProperties properties, PipelineMetrics metrics) {
        log.info(
                "receipt polling senders={} interval={} outDir={} inDir={}",
                receiptPoller.senders(),
                properties.pollInterval(),
                properties.outDir(),
                properties.inDir());
        // after the correlation streams: started later, stopped earlier
        return new PollSchedule(
                "sf1820-receipt-poller",
                () -> receiptPoller.pollOnce().recordIn(metrics),
                properties.pollInterval(),
                properties.pollInterval(),
                CorrelationStreams.PHASE + 1);
    }

    /** Configured senders must all have an account; by default every fagsystem sender that has one is polled. */
    static List<SftpAccount> senders(
            ReceiptTrackerProperties properties, FagsystemRegistry registry, SftpAccounts accounts) {
        if (!properties.senders().isEmpty()) {
            return properties.senders().stream()
                    .map(user -> accounts.find(user)
                            .orElseThrow(() -> new IllegalStateException("sf1820.receipt-tracker.senders names '" + user
                                    + "', but sf1820.sftp.accounts has no account for it")))
                    .toList();
        }
        return registry.withExtract().stream()
                .map(Fagsystem::sftpUser)
                .map(accounts::find)
                .flatMap(Optional::stream)
                .toList();
    }
}

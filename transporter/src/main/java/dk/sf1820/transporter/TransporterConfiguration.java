package dk.sf1820.transporter;

import dk.sf1820.kafka.ByteProgressPublisher;
import dk.sf1820.kafka.DeadLetterReason;
import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.kafka.NonRetryableEventException;
import dk.sf1820.kafka.PipelineKafkaProperties;
import dk.sf1820.kafka.PipelineMetrics;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.events.EventSerializer;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.sftp.SftpConnector;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.retrytopic.DeadLetterPublishingRecovererFactory;
import org.springframework.kafka.retrytopic.DltStrategy;
import org.springframework.kafka.retrytopic.RetryTopicConfiguration;
import org.springframework.kafka.retrytopic.RetryTopicConfigurationBuilder;
import org.springframework.kafka.retrytopic.RetryTopicConfigurationSupport;
import org.springframework.kafka.retrytopic.RetryTopicSchedulerWrapper;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The transporter stage: {@code PackageReady} in, files on the platform, {@code TransferUploaded} or
 * {@code TransferFailed} out. Needs {@link SftpAccounts}, {@link SftpConnector} and
 * {@link EventPublisher}; picks up every {@link TransferObserver} bean.
 *
 * <p>Failed transfers are retried through retry topics (non-blocking: the {@code PackageReady}
 * partition moves on), the progress of each transfer is kept in the compacted
 * {@code sf1820.transfer.progress} topic.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TransporterProperties.class)
public class TransporterConfiguration extends RetryTopicConfigurationSupport {

    private final TransporterProperties properties;

    TransporterConfiguration(TransporterProperties properties) {
        this.properties = properties;
    }

    @Bean
    SftpTransporter sftpTransporter(
            SftpAccounts accounts,
            SftpConnector connector,
            TransporterProperties properties,
            ObjectProvider<TransferObserver> observers,
            ObjectProvider<Clock> clock,
            TransferProgressLedger ledger,
            KafkaTemplate<String, SpecificRecordBase> pipelineTemplate,
            FagsystemRegistry registry,
            PauseWatch transferPauseWatch) {
        Clock time = clock.getIfAvailable(Clock::systemUTC);
        return new SftpTransporter(
                accounts,
                connector,
                properties,
                compositeObserver(observers),
                time,
                ledger,
                new ByteProgressPublisher(pipelineTemplate, Topics.UPLOAD_PROGRESS, time),
                registry,
                transferPauseWatch);
    }

    /**
     * Half the consumer session timeout: the group may drop a member whose last heartbeat before a pause
     * lay up to a heartbeat interval (a third of the timeout by default) back.
     */
    @Bean(destroyMethod = "close")
    PauseWatch transferPauseWatch(KafkaProperties kafka) {
        Object session = kafka.getConsumer().getProperties().get("session.timeout.ms");
        long millis = session == null ? 45_000 : Long.parseLong(session.toString());
        return PauseWatch.start(Duration.ofMillis(millis / 2));
    }

    /** Progress is for people watching a transfer now, not the audit trail: kept a day. */
    @Bean
    NewTopic uploadProgressTopic(PipelineKafkaProperties kafka) {
        return new NewTopic(Topics.UPLOAD_PROGRESS.name(), kafka.partitions(), kafka.replicationFactor())
                .configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(ByteProgressPublisher.RETENTION.toMillis())));
    }

    @Bean(destroyMethod = "close")
    TransferProgressLedger transferProgressLedger(
            ConsumerFactory<String, SpecificRecordBase> pipelineConsumerFactory,
            EventPublisher publisher,
            ObjectProvider<Clock> clock,
            TransporterProperties properties) {
        return new TransferProgressLedger(
                partition ->
                        pipelineConsumerFactory.createConsumer(null, "sf1820-transporter-progress", "-" + partition),
                publisher,
                clock.getIfAvailable(Clock::systemUTC),
                properties.progressTimeout());
    }

    /** As many consumers as {@code concurrency} asks, but no more than the topic's partitions: the rest would idle. */
    @Bean
    TransferListener transferListener(
            SftpTransporter transporter,
            EventPublisher publisher,
            ObjectProvider<TransferObserver> observers,
            TransporterProperties properties,
            PipelineKafkaProperties kafka,
            PipelineMetrics metrics) {
        return new TransferListener(
                transporter,
                publisher,
                compositeObserver(observers),
                Math.max(1, Math.min(properties.concurrency(), kafka.partitions())),
                metrics);
    }

    /** Compacted: only the latest step of each transfer matters, and it must be kept for as long as replays can come. */
    @Bean
    NewTopic transferProgressTopic(PipelineKafkaProperties kafka) {
        return kafka.newTopic(
                Topics.TRANSFER_PROGRESS.name(),
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    /**
     * {@code PackageReady} that failed goes to {@code sf1820.package.ready.retry-<pause ms>}, comes back
     * to {@link TransferListener} after the pause, and after the budget to {@code sf1820.package.ready.dlt},
     * whose handler ends the transfer. Refused events ({@link NonRetryableEventException}, unreadable
     * bytes) skip the retries.
     */
    @Bean
    RetryTopicConfiguration transferRetryTopics(
            TransporterProperties properties, PipelineKafkaProperties kafka, KafkaProperties boot) {
        TransferRetries retries = TransferRetries.of(properties);
        return RetryTopicConfigurationBuilder.newInstance()
                .includeTopic(Topics.PACKAGE_READY.name())
                .exponentialBackoff(retries.initialMillis(), retries.multiplier(), retries.maxMillis())
                .maxAttempts(retries.maxAttempts())
                .useSingleTopicForSameIntervals()
                .retryTopicSuffix(".retry")
                .dltSuffix(Topics.PACKAGE_READY
                        .deadLetter()
                        .substring(Topics.PACKAGE_READY.name().length()))
                .notRetryOn(NonRetryableEventException.class)
                .traversingCauses()
                .dltHandlerMethod("transferListener", "gaveUp")
                // a DLT record the handler cannot process is logged and left, never looped back into the DLT
                .dltProcessingFailureStrategy(DltStrategy.FAIL_ON_ERROR)
                .autoCreateTopicsWith(kafka.partitions(), kafka.replicationFactor())
                // one consumer per retry topic and for the DLT: they would otherwise inherit the main listener's
                // concurrency, 6 × 9 mostly idle consumers whose fetches and heartbeats cost CPU in a burst
                .concurrency(1)
                .create(retryTemplate(boot));
    }

    /** Wakes paused retry-topic partitions when their next record is due. */
    @Bean
    RetryTopicSchedulerWrapper transferRetryScheduler() {
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("sf1820-transfer-retry-");
        scheduler.initialize();
        return new RetryTopicSchedulerWrapper(scheduler);
    }

    /** Writes retried events as they came, and unreadable ones as the raw bytes they were. */
    private static KafkaTemplate<String, Object> retryTemplate(KafkaProperties boot) {
        Map<String, Object> config = new LinkedHashMap<>(boot.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
        byType.put(byte[].class, new ByteArraySerializer());
        byType.put(SpecificRecordBase.class, new EventSerializer());
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(
                config, new StringSerializer(), new DelegatingByTypeSerializer(byType, true)));
    }

    /**
     * Retry and dead-letter records carry the pipeline's reason header, like every other stage's, and
     * retried records a due time with jitter ({@link RetryJitter}).
     */
    @Override
    protected Consumer<DeadLetterPublishingRecovererFactory> configureDeadLetterPublishingContainerFactory() {
        RetryJitter jitter = new RetryJitter(TransferRetries.of(properties), Clock.systemUTC());
        return factory -> factory.setHeadersFunction((record, e) -> {
            Headers headers = DeadLetterReason.headers(e);
            jitter.headers(record).forEach(headers::add);
            return headers;
        });
    }

    private static TransferObserver compositeObserver(ObjectProvider<TransferObserver> observers) {
        return new CompositeTransferObserver(observers.orderedStream().toList());
    }
}

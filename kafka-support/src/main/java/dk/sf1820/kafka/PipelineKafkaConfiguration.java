package dk.sf1820.kafka;

import dk.sf1820.schemas.Topic;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.events.EventDeserializer;
import dk.sf1820.schemas.events.EventSerializer;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The Kafka wiring every stage shares, so that all stages keep the same guarantees:
 * <ul>
 * <li>values are pipeline events in Avro single-object encoding, keys the transferId;</li>
 * <li>producers are idempotent with {@code acks=all};</li>
 * <li>a listener's offset is committed per record, after the listener returned, i.e. after its side
 * effect and its own events were acknowledged;</li>
 * <li>a record that cannot be read goes straight to {@code <topic>.dlt} with the reason in headers;
 * one whose processing keeps failing goes there after the retry budget;</li>
 * <li>every topic and its dead-letter topic is created with explicit partitions, replication factor,
 * {@code min.insync.replicas} and retention;</li>
 * <li>a listener container whose consumer stops abnormally (an {@link Error} from one record, fencing)
 * ends the process with {@link StageHalt#EXIT_CODE}, so it is restarted rather than left deaf.</li>
 * </ul>
 * Connection settings come from Spring Boot's {@code spring.kafka.*} properties.
 */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@EnableConfigurationProperties(PipelineKafkaProperties.class)
public class PipelineKafkaConfiguration {

    /** sf1820's own metrics; recorded nowhere when the process has no meter registry (one-shot commands). */
    @Bean
    PipelineMetrics pipelineMetrics(ObjectProvider<MeterRegistry> registry) {
        PipelineMetrics metrics = registry.getIfAvailable() == null
                ? PipelineMetrics.none()
                : new PipelineMetrics(registry.getIfAvailable());
        metrics.expectDeadLetters(Topics.ALL.stream().map(Topic::name).toList());
        return metrics;
    }

    @Bean
    ProducerFactory<String, SpecificRecordBase> pipelineProducerFactory(
            KafkaProperties kafka, ObjectProvider<MeterRegistry> registry) {
        Map<String, Object> config = new LinkedHashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        // Every publish waits for its acknowledgement before the stage goes on, so there is never a batch to
        // fill: Kafka 4's default linger of 5 ms would only delay each event (four in each transfer's upload).
        config.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 0);
        var factory = new DefaultKafkaProducerFactory<String, SpecificRecordBase>(
                config, new StringSerializer(), new EventSerializer());
        registry.ifAvailable(meters -> factory.addListener(new MicrometerProducerListener<>(meters)));
        return factory;
    }

    @Bean
    KafkaTemplate<String, SpecificRecordBase> pipelineTemplate(ProducerFactory<String, SpecificRecordBase> factory) {
        return new KafkaTemplate<>(factory);
    }

    @Bean
    EventPublisher eventPublisher(KafkaTemplate<String, SpecificRecordBase> pipelineTemplate) {
        return new EventPublisher(pipelineTemplate);
    }

    @Bean
    ConsumerFactory<String, SpecificRecordBase> pipelineConsumerFactory(
            KafkaProperties kafka, PipelineKafkaProperties properties, ObjectProvider<MeterRegistry> registry) {
        Map<String, Object> config = new LinkedHashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        var factory = new DefaultKafkaConsumerFactory<String, SpecificRecordBase>(
                config,
                new StringDeserializer(),
                new ErrorHandlingDeserializer<>(new EventDeserializer(
                        Math.toIntExact(properties.maxRecordSize().toBytes()))));
        // the consumers' own metrics, among them records-lag-max per partition: a growing lag is a stage falling behind
        registry.ifAvailable(meters -> factory.addListener(new MicrometerConsumerListener<>(meters)));
        return factory;
    }

    @Bean
    DefaultErrorHandler pipelineErrorHandler(
            KafkaTemplate<String, SpecificRecordBase> pipelineTemplate,
            KafkaProperties kafka,
            PipelineKafkaProperties properties,
            PipelineMetrics metrics) {
        Map<String, Object> config = new LinkedHashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        KafkaTemplate<String, byte[]> rawTemplate = new KafkaTemplate<>(
                new DefaultKafkaProducerFactory<>(config, new StringSerializer(), new ByteArraySerializer()));
        Map<Class<?>, KafkaOperations<?, ?>> templates = new LinkedHashMap<>();
        templates.put(byte[].class, rawTemplate);
        templates.put(SpecificRecordBase.class, pipelineTemplate);
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(
                templates, (record, e) -> new TopicPartition(record.topic() + Topic.DLT_SUFFIX, -1));
        recoverer.addHeadersFunction((record, e) -> DeadLetterReason.headers(e));
        ExponentialBackOff backOff =
                new ExponentialBackOff(properties.retryInitial().toMillis(), 2.0);
        backOff.setMaxInterval(properties.retryMax().toMillis());
        backOff.setMaxElapsedTime(properties.retryElapsed().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(
                (record, e) -> {
                    recoverer.accept(record, e);
                    metrics.deadLettered(record.topic());
                },
                backOff);
        handler.addNotRetryableExceptions(NonRetryableEventException.class);
        return handler;
    }

    @Bean
    ConcurrentKafkaListenerContainerFactory<String, SpecificRecordBase> kafkaListenerContainerFactory(
            ConsumerFactory<String, SpecificRecordBase> pipelineConsumerFactory,
            DefaultErrorHandler pipelineErrorHandler) {
        var factory = new ConcurrentKafkaListenerContainerFactory<String, SpecificRecordBase>();
        factory.setConsumerFactory(pipelineConsumerFactory);
        factory.setCommonErrorHandler(pipelineErrorHandler);
        factory.setRecordInterceptor(new KeyedByTransferId());
        factory.getContainerProperties().setAckMode(AckMode.RECORD);
        return factory;
    }

    /** Ends the process when a stage cannot go on; tests may supply their own {@link ProcessExit}. */
    @Bean
    StageHalt stageHalt(ApplicationContext context, ObjectProvider<ProcessExit> processExit) {
        ProcessExit exit = processExit.getIfAvailable(() -> System::exit);
        return new StageHalt(context, exit::exit);
    }

    @Bean
    ListenerContainerWatch listenerContainerWatch(StageHalt stageHalt) {
        return new ListenerContainerWatch(stageHalt);
    }

    @Bean
    KafkaAdmin.NewTopics pipelineTopics(PipelineKafkaProperties properties) {
        List<NewTopic> topics = new ArrayList<>();
        Map<String, String> retention = Map.of(
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(properties.retention().toMillis()));
        for (Topic topic : Topics.ALL) {
            for (String name : List.of(topic.name(), topic.deadLetter())) {
                topics.add(properties.newTopic(name, retention));
            }
        }
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }
}

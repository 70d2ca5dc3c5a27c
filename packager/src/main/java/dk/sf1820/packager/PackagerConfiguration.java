package dk.sf1820.packager;

import dk.sf1820.kafka.ByteProgressPublisher;
import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.kafka.PipelineKafkaProperties;
import dk.sf1820.kafka.PipelineMetrics;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.stage.PollSchedule;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * The packager stage: listens on {@code sf1820.extract.ready} as group {@code sf1820-packager}. Needs
 * a {@link FagsystemRegistry} and an {@link EventPublisher} from the application, and uses its
 * {@link Clock} when it has one.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PackagerProperties.class)
public class PackagerConfiguration {

    @Bean
    Packager packager(
            FagsystemRegistry registry,
            PackagerProperties properties,
            ObjectProvider<Clock> clock,
            KafkaTemplate<String, SpecificRecordBase> pipelineTemplate) {
        Clock time = clock.getIfAvailable(Clock::systemUTC);
        return new Packager(
                registry,
                properties,
                time,
                new ByteProgressPublisher(pipelineTemplate, Topics.PACKAGING_PROGRESS, time));
    }

    /** Progress is for people watching a transfer now, not the audit trail: kept a day. */
    @Bean
    NewTopic packagingProgressTopic(PipelineKafkaProperties kafka) {
        return new NewTopic(Topics.PACKAGING_PROGRESS.name(), kafka.partitions(), kafka.replicationFactor())
                .configs(Map.of(
                        TopicConfig.RETENTION_MS_CONFIG, String.valueOf(ByteProgressPublisher.RETENTION.toMillis())));
    }

    @Bean
    StagingHousekeeping stagingHousekeeping(
            PackagerProperties properties, EventPublisher publisher, ObjectProvider<Clock> clock) {
        return new StagingHousekeeping(properties, publisher, clock.getIfAvailable(Clock::systemUTC));
    }

    /** As many consumers as {@code concurrency} asks, but no more than the topic's partitions: the rest would idle. */
    @Bean
    PackagingListener packagingListener(
            Packager packager,
            EventPublisher publisher,
            StagingHousekeeping housekeeping,
            PackagerProperties properties,
            PipelineKafkaProperties kafka,
            PipelineMetrics metrics) {
        return new PackagingListener(
                packager,
                publisher,
                housekeeping,
                Math.max(1, Math.min(properties.concurrency(), kafka.partitions())),
                metrics);
    }

    @Bean
    PackageReleaseListener packageReleaseListener(StagingHousekeeping housekeeping) {
        return new PackageReleaseListener(housekeeping);
    }

    @Bean
    PollSchedule stagingRetentionSchedule(StagingHousekeeping housekeeping, PackagerProperties properties) {
        // the first sweep at start-up: what expired while the stage was down goes at once
        return new PollSchedule(
                "sf1820-staging-housekeeping",
                housekeeping::sweep,
                properties.housekeepingInterval(),
                Duration.ZERO,
                SmartLifecycle.DEFAULT_PHASE);
    }
}

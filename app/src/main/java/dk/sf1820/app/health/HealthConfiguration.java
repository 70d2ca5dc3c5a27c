package dk.sf1820.app.health;

import dk.sf1820.kafka.PipelineMetrics;
import dk.sf1820.receipts.correlation.CorrelationStreams;
import dk.sf1820.schemas.sftp.PlatformFolders;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.sftp.SftpConnector;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * sf1820's parts of {@code /actuator/health}, beside the stages' own ({@code stages}): the Kafka
 * cluster, every SFTP account, the receipt tracker's Streams client where it runs, and the staging
 * area's free space. The {@code liveness} and {@code readiness} groups are set in application.yml.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(HealthProperties.class)
public class HealthConfiguration {

    @Bean
    KafkaClusterHealthIndicator kafkaHealthIndicator(KafkaAdmin admin, HealthProperties properties) {
        return new KafkaClusterHealthIndicator(admin.getConfigurationProperties(), properties.kafkaTimeout());
    }

    @Bean
    SftpAccountsHealthIndicator sftpHealthIndicator(
            ObjectProvider<SftpAccounts> accounts,
            HealthProperties properties,
            Environment environment,
            ObjectProvider<Clock> clock,
            ObjectProvider<PipelineMetrics> metrics) {
        Duration timeout =
                environment.getProperty("sf1820.sftp.connect-timeout", Duration.class, Duration.ofSeconds(20));
        List<String> folders = List.of(
                environment.getProperty("sf1820.transporter.out-dir", PlatformFolders.OUT),
                environment.getProperty("sf1820.transporter.in-dir", PlatformFolders.IN));
        return new SftpAccountsHealthIndicator(
                accounts.getIfAvailable(() -> new SftpAccounts(List.of())).all(),
                new SftpConnector(timeout),
                folders,
                properties.sftpCheckInterval(),
                clock.getIfAvailable(Clock::systemUTC),
                metrics.getIfAvailable(PipelineMetrics::none));
    }

    @Bean
    StagingSpaceHealthIndicator stagingHealthIndicator(Environment environment, HealthProperties properties) {
        Path staging = Path.of(environment.getProperty(
                "sf1820.packager.staging-dir", environment.getProperty("sf1820.work-dir", "work") + "/staging"));
        return new StagingSpaceHealthIndicator(staging, properties.stagingMinFree());
    }

    @Bean
    CorrelationStreamsHealthIndicator correlationStreamsHealthIndicator(ObjectProvider<CorrelationStreams> streams) {
        return new CorrelationStreamsHealthIndicator(streams::getIfAvailable);
    }
}

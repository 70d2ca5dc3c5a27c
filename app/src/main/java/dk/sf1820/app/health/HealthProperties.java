package dk.sf1820.app.health;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of sf1820's health indicators ({@code sf1820.health.*}).
 *
 * @param sftpCheckInterval how long an SFTP account's login-and-list result is reused: the platform
 *        counts sessions per user, and a monitoring system polling every few seconds must not add to them
 * @param stagingMinFree the staging area is DOWN below this much free space: packages are written there
 * @param kafkaTimeout how long the Kafka check waits for the cluster to answer
 */
@ConfigurationProperties("sf1820.health")
public record HealthProperties(
        @DefaultValue("5m") Duration sftpCheckInterval,
        @DefaultValue("1GB") DataSize stagingMinFree,
        @DefaultValue("5s") Duration kafkaTimeout) {}

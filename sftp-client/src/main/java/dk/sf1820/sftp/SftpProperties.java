package dk.sf1820.sftp;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The SFTP accounts shared by the stages that talk to the platform: the transporter uploads with a
 * sender's account, the receipt tracker reads receipts with it, the DST side fetches with its own.
 *
 * @param accounts one entry per SFTP user
 * @param connectTimeout how long to wait for the server when connecting, and for a free session
 * @param maxSessionsPerAccount sessions of one account in use at once, across the stages of this process
 * @param sessionMaxIdle how long an unused session is kept for reuse; 0 logs in for every connection
 */
@ConfigurationProperties("sf1820.sftp")
public record SftpProperties(
        @DefaultValue List<SftpAccount> accounts,
        @DefaultValue("20s") Duration connectTimeout,
        @DefaultValue("4") int maxSessionsPerAccount,
        @DefaultValue("30s") Duration sessionMaxIdle) {}

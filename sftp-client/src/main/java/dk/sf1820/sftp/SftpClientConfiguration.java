package dk.sf1820.sftp;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Accounts from {@code sf1820.sftp.*}, unless the application supplies its own (the embedded default does). */
@AutoConfiguration
@EnableConfigurationProperties(SftpProperties.class)
public class SftpClientConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SftpAccounts sftpAccounts(SftpProperties properties) {
        return new SftpAccounts(properties.accounts());
    }

    @Bean
    @ConditionalOnMissingBean
    SftpConnector sftpConnector(SftpProperties properties) {
        return new SftpConnector(
                properties.connectTimeout(), properties.maxSessionsPerAccount(), properties.sessionMaxIdle());
    }
}

package dk.sf1820.transporter;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.sftp.SftpConnector;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The transporter stage: {@code PackageReady} in, files on the platform, {@code TransferUploaded} or
 * {@code TransferFailed} out. Needs {@link SftpAccounts}, {@link SftpConnector} and
 * {@link EventPublisher}; picks up every {@link TransferObserver} bean.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TransporterProperties.class)
public class TransporterConfiguration {

    @Bean
    SftpTransporter sftpTransporter(SftpAccounts accounts, SftpConnector connector, TransporterProperties properties,
            ObjectProvider<TransferObserver> observers, ObjectProvider<Clock> clock) {
        return new SftpTransporter(accounts, connector, properties, new CompositeTransferObserver(observers.orderedStream().toList()),
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    TransferListener transferListener(SftpTransporter transporter, EventPublisher publisher) {
        return new TransferListener(transporter, publisher);
    }
}

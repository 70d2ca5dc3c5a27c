package dk.sf1820.dst;

import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.sftp.SftpConnector;
import dk.sf1820.stage.PollSchedule;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The DST receiver: fetches deliveries from the recipient's IN every {@code poll-interval}. Needs
 * {@link FagsystemRegistry}, {@link SftpAccounts} (with an account for {@code user}) and
 * {@link SftpConnector}; reports to every {@link DstReceiverObserver} bean.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DstReceiverProperties.class)
public class DstReceiverConfiguration {

    @Bean
    DstReceiver dstReceiver(
            DstReceiverProperties properties,
            FagsystemRegistry registry,
            SftpAccounts accounts,
            SftpConnector connector,
            ObjectProvider<DstReceiverObserver> listeners,
            ObjectProvider<Clock> clock) {
        return new DstReceiver(
                connector,
                accounts.require(properties.user()),
                properties,
                expectedSenders(properties, registry),
                listeners.orderedStream().toList(),
                clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    PollSchedule dstPollSchedule(DstReceiver receiver, DstReceiverProperties properties) {
        return new PollSchedule(
                "dst-receiver-poll",
                receiver::pollOnce,
                properties.pollInterval(),
                Duration.ZERO,
                SmartLifecycle.DEFAULT_PHASE);
    }

    static Set<String> expectedSenders(DstReceiverProperties properties, FagsystemRegistry registry) {
        if (!properties.expectedSenders().isEmpty()) {
            return Set.copyOf(properties.expectedSenders());
        }
        return registry.withExtract().stream().map(Fagsystem::sftpUser).collect(Collectors.toUnmodifiableSet());
    }
}

package dk.sf1820.serviceplatform;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Runs the emulator as a Spring bean: started when the context starts, closed with it. Users come
 * from {@code users-file} when it is set; otherwise whoever uses it registers them
 * ({@link ServiceplatformEmulator#addUser}), e.g. the app with the keys it generates for the local run.
 * With {@code http-port} set, the HTTP control ({@link EmulatorHttpControl}) runs beside it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ServiceplatformProperties.class)
public class ServiceplatformConfiguration {

    @Bean(destroyMethod = "close")
    ServiceplatformEmulator serviceplatformEmulator(ServiceplatformProperties properties, ObjectProvider<Clock> clock) {
        ServiceplatformEmulator.Builder builder = ServiceplatformEmulator.builder()
                .root(properties.root())
                .port(properties.port())
                .scanInterval(properties.scanInterval())
                .metadataForm(properties.metadataForm())
                .retention(properties.retention())
                .deletionWarning(properties.deletionWarning())
                .businessReceipts(properties.businessReceipts())
                .clock(clock.getIfAvailable(Clock::systemUTC));
        if (properties.ciphers() != null && !properties.ciphers().isEmpty()) {
            builder.ciphers(properties.ciphers());
        }
        if (properties.usersFile() != null) {
            builder.users(UsersFile.read(properties.usersFile()));
        }
        ServiceplatformEmulator emulator = builder.build();
        emulator.start();
        return emulator;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty("sf1820.serviceplatform.http-port")
    EmulatorHttpControl serviceplatformHttpControl(
            ServiceplatformEmulator emulator, ServiceplatformProperties properties) {
        return EmulatorHttpControl.start(emulator, properties.httpPort());
    }
}

package dk.sf1820.serviceplatform;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Runs the emulator as a Spring bean: started when the context starts, closed with it. Users are
 * registered by whoever uses it ({@link ServiceplatformEmulator#addUser}), e.g. the app with the keys
 * it generates for the local run.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ServiceplatformProperties.class)
public class ServiceplatformConfiguration {

    @Bean(destroyMethod = "close")
    ServiceplatformEmulator serviceplatformEmulator(ServiceplatformProperties properties,
            ObjectProvider<Clock> clock) {
        ServiceplatformEmulator emulator = ServiceplatformEmulator.builder()
                .root(properties.root())
                .port(properties.port())
                .scanInterval(properties.scanInterval())
                .metadataForm(properties.metadataForm())
                .retention(properties.retention())
                .deletionWarning(properties.deletionWarning())
                .clock(clock.getIfAvailable(Clock::systemUTC))
                .build();
        emulator.start();
        return emulator;
    }
}

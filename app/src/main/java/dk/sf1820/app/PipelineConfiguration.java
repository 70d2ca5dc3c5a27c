package dk.sf1820.app;

import dk.sf1820.kafka.StageHalt;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What every stage shares: the fagsystem registry and the clock. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RegistryProperties.class)
class PipelineConfiguration {

    @Bean
    FagsystemRegistry fagsystemRegistry(RegistryProperties properties) {
        return properties.toRegistry();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    StageHealthIndicator stagesHealthIndicator(ObjectProvider<StageHalt> halt) {
        return new StageHealthIndicator(halt::getIfAvailable);
    }
}

package dk.sf1820.extractor;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The extractor stage. Needs a {@link FagsystemRegistry} and an {@link EventPublisher} from the
 * application, and uses its {@link Clock} when it has one.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ExtractorProperties.class)
public class ExtractorConfiguration {

    @Bean
    ExtractStager extractStager(FagsystemRegistry registry, ExtractorProperties properties) {
        return new ExtractStager(registry, properties.stagingDir());
    }

    @Bean
    ExtractSubmitter extractSubmitter(ExtractStager extractStager, EventPublisher publisher,
            ObjectProvider<Clock> clock) {
        return new ExtractSubmitter(extractStager, publisher, clock.getIfAvailable(Clock::systemUTC));
    }
}

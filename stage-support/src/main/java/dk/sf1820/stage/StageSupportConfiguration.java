package dk.sf1820.stage;

import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.time.Clock;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * What every stage needs besides its topics: the installation's fagsystem registry
 * ({@code sf1820.registry.*}, validated at start-up) and the clock. Both are defaults: a test or an
 * application that declares its own registry or clock (a clock it can move) replaces them, so no
 * stage and no test has to declare them only to get started.
 */
@AutoConfiguration
@EnableConfigurationProperties(RegistryProperties.class)
public class StageSupportConfiguration {

    @Bean
    @ConditionalOnMissingBean
    FagsystemRegistry fagsystemRegistry(RegistryProperties properties) {
        return properties.toRegistry();
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }
}

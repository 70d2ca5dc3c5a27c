package dk.sf1820.app;

import dk.sf1820.kafka.StageHalt;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** What every stage shares: the fagsystem registry and the clock. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RegistryProperties.class)
class PipelineConfiguration {

    @Bean
    FagsystemRegistry fagsystemRegistry(RegistryProperties properties) {
        return properties.toRegistry();
    }

    /** Checked before any stage's bean exists: a staging area this process cannot write stops the start, naming it. */
    @Bean
    static BeanFactoryPostProcessor stagingAreaCheck(Environment environment) {
        return beanFactory -> StagingAreaCheck.check(environment);
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

package dk.sf1820.app;

import dk.sf1820.kafka.StageHalt;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the application adds over the stages: their health. The fagsystem registry and the clock every
 * stage shares come from stage-support's defaults.
 */
@Configuration(proxyBeanMethods = false)
class PipelineConfiguration {

    @Bean
    StageHealthIndicator stagesHealthIndicator(ObjectProvider<StageHalt> halt) {
        return new StageHealthIndicator(halt::getIfAvailable);
    }
}

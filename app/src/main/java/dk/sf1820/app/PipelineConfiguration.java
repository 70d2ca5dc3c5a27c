package dk.sf1820.app;

import dk.sf1820.app.config.ProcessProperties;
import dk.sf1820.kafka.StageHalt;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the application adds over the stages: this process's own settings and the stages' health. The fagsystem registry and the clock every
 * stage shares come from stage-support's defaults.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProcessProperties.class)
class PipelineConfiguration {

    @Bean
    StageHealthIndicator stagesHealthIndicator(ObjectProvider<StageHalt> halt) {
        return new StageHealthIndicator(halt::getIfAvailable);
    }
}

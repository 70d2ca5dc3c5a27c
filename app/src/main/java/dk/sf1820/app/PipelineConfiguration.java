package dk.sf1820.app;

import dk.sf1820.app.config.ProcessProperties;
import dk.sf1820.kafka.StageHalt;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * What the application adds over the stages: this process's own settings and the stages' health. The fagsystem registry and the clock every
 * stage shares come from stage-support's defaults.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ProcessProperties.class)
class PipelineConfiguration {

    /** Checked before any stage's bean exists: a staging area this process cannot write stops the start, naming it. */
    @Bean
    static BeanFactoryPostProcessor stagingAreaCheck(Environment environment) {
        return beanFactory -> StagingAreaCheck.check(environment);
    }

    @Bean
    StageHealthIndicator stagesHealthIndicator(ObjectProvider<StageHalt> halt) {
        return new StageHealthIndicator(halt::getIfAvailable);
    }
}

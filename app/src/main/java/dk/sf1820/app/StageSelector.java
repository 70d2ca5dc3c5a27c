package dk.sf1820.app;

import dk.sf1820.app.config.ProcessProperties;
import dk.sf1820.schemas.PipelineStage;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Imports the configuration of each stage named in {@code sf1820.stages}, every {@link PipelineStage}
 * when it is unset. A stage is scaled by running more processes with it; a process may run one stage
 * or all of them.
 */
class StageSelector implements ImportSelector, EnvironmentAware {

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public String[] selectImports(AnnotationMetadata metadata) {
        return ProcessProperties.of((ConfigurableEnvironment) environment).selectedStages().stream()
                .map(StageConfigurations::of)
                .map(Class::getName)
                .distinct()
                .toArray(String[]::new);
    }
}

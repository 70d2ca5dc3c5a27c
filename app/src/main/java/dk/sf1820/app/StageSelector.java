package dk.sf1820.app;

import dk.sf1820.schemas.PipelineStage;
import java.util.Arrays;
import java.util.stream.Stream;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Imports the configuration of each stage named in {@code sf1820.stages}, every {@link PipelineStage}
 * when it is unset. A stage is scaled by running more processes with it; a process may run one stage
 * or all of them.
 */
class StageSelector implements ImportSelector, EnvironmentAware {

    static final String SETTING = "sf1820.stages";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public String[] selectImports(AnnotationMetadata metadata) {
        String stages = environment.getProperty(SETTING);
        Stream<PipelineStage> selected = stages == null ? Arrays.stream(PipelineStage.values())
                : Arrays.stream(stages.split(",")).filter(s -> !s.isBlank()).map(StageSelector::stage);
        return selected.map(StageConfigurations::of).map(Class::getName).distinct().toArray(String[]::new);
    }

    private static PipelineStage stage(String key) {
        try {
            return PipelineStage.of(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SETTING + ": " + e.getMessage(), e);
        }
    }
}

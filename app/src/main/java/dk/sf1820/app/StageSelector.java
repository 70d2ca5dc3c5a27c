package dk.sf1820.app;

import java.util.Arrays;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Imports the configuration of each stage named in {@code sf1820.stages}. A stage is scaled by
 * running more processes with it; a process may run one stage or all of them.
 */
class StageSelector implements ImportSelector, EnvironmentAware {

    static final String ALL = "extractor,packager,transporter,receipt-tracker,dst-receiver,notifier";

    private Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public String[] selectImports(AnnotationMetadata metadata) {
        String stages = environment.getProperty("sf1820.stages", ALL);
        return Arrays.stream(stages.split(","))
                .filter(s -> !s.isBlank())
                .map(Stage::of)
                .map(s -> s.configuration().getName())
                .distinct()
                .toArray(String[]::new);
    }
}

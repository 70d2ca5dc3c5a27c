package dk.sf1820.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.PipelineStage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The process's own settings as a bean: defaults, and a start refused with the key of an invalid one. */
class ProcessPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ProcessProperties.class)
    static class Settings {}

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void unsetMeansTheWorkFolderEveryStageAndAComputedId() {
        runner.run(context -> {
            ProcessProperties process = context.getBean(ProcessProperties.class);
            assertThat(process.workDir()).isEqualTo(Path.of("work"));
            assertThat(process.selectedStages()).containsExactly(PipelineStage.values());
            assertThat(process.instanceId()).isNull();
        });
    }

    @Test
    void anInvalidSettingStopsTheStartNamingItsKey() {
        runner.withPropertyValues("sf1820.stages=packager,packer")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageStartingWith("sf1820.stages: unknown stage 'packer'"));
        runner.withPropertyValues("sf1820.instance-id=a b")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageStartingWith("sf1820.instance-id: 'a b' must be"));
    }
}

package dk.sf1820.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class ExtractorPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ExtractorProperties.class)
    static class Bound {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Bound.class);

    @Test
    void bindsTheStagingDirectory() {
        runner.withPropertyValues("sf1820.extractor.staging-dir=/var/lib/sf1820").run(context ->
                assertThat(context.getBean(ExtractorProperties.class).stagingDir()).isEqualTo(Path.of("/var/lib/sf1820")));
    }

    @Test
    void requiresAStagingDirectory() {
        runner.run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("stagingDir"));
    }
}

package dk.sf1820.packager;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class PackagerPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(PackagerProperties.class)
    static class Bound {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Bound.class);

    @Test
    void defaultsToDanishTimeAndLevelSix() {
        runner.withPropertyValues("sf1820.packager.staging-dir=/var/lib/sf1820").run(context -> {
            PackagerProperties properties = context.getBean(PackagerProperties.class);
            assertThat(properties.stagingDir()).isEqualTo(Path.of("/var/lib/sf1820"));
            assertThat(properties.timestampZone()).isEqualTo(ZoneId.of("Europe/Copenhagen"));
            assertThat(properties.compressionLevel()).isEqualTo(6);
            assertThat(properties.threads()).isZero();
            assertThat(properties.effectiveThreads())
                    .isEqualTo(Runtime.getRuntime().availableProcessors());
        });
    }

    @Test
    void refusesACompressionLevelDeflateDoesNotHave() {
        runner.withPropertyValues("sf1820.packager.staging-dir=/var/lib/sf1820", "sf1820.packager.compression-level=10")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("compressionLevel"));
    }

    @Test
    void requiresAStagingDirectory() {
        runner.run(context ->
                assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("stagingDir"));
    }
}

package dk.sf1820.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.registry.Period;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class ExtractorPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ExtractorProperties.class)
    static class Bound {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Bound.class);

    @Test
    void bindsTheStagingDirectory() {
        runner.withPropertyValues("sf1820.extractor.staging-dir=/var/lib/sf1820")
                .run(context -> assertThat(
                                context.getBean(ExtractorProperties.class).stagingDir())
                        .isEqualTo(Path.of("/var/lib/sf1820")));
    }

    @Test
    void requiresAStagingDirectory() {
        runner.run(context ->
                assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("stagingDir"));
    }

    @Test
    void aDatasetNeedsOnlyItsQueryAndDatabaseTheRestHasDefaults() {
        runner.withPropertyValues(
                        "sf1820.extractor.staging-dir=/var/lib/sf1820",
                        "sf1820.extractor.datasets.ksd-sygedage.fagsystem=KSD",
                        "sf1820.extractor.datasets.ksd-sygedage.authority=0561",
                        "sf1820.extractor.datasets.ksd-sygedage.sql=select 1",
                        "sf1820.extractor.datasets.ksd-sygedage.jdbc.url=jdbc:postgresql://db/ksd")
                .run(context -> {
                    ExtractorProperties properties = context.getBean(ExtractorProperties.class);
                    ExtractorProperties.Dataset dataset = properties.datasets().get("ksd-sygedage");
                    assertThat(dataset.delimiter()).isEqualTo(";");
                    assertThat(dataset.encoding()).isEqualTo(StandardCharsets.UTF_8);
                    assertThat(dataset.header()).isTrue();
                    assertThat(dataset.period()).isEqualTo(Period.Kind.MONTH);
                    assertThat(dataset.fetchSize()).isEqualTo(1000);
                    assertThat(dataset.cron()).isNull();
                    assertThat(properties.dropFolder().dir()).isNull();
                    assertThat(properties.dropFolder().quietPeriod()).hasSeconds(30);
                });
    }

    @Test
    void aDatasetWithoutItsQueryIsRefusedNamingTheKey() {
        runner.withPropertyValues(
                        "sf1820.extractor.staging-dir=/var/lib/sf1820",
                        "sf1820.extractor.datasets.ksd-sygedage.fagsystem=KSD",
                        "sf1820.extractor.datasets.ksd-sygedage.authority=0561",
                        "sf1820.extractor.datasets.ksd-sygedage.jdbc.url=jdbc:postgresql://db/ksd")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("datasets[ksd-sygedage].sql"));
    }
}

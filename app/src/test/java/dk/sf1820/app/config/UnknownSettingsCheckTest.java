package dk.sf1820.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Which names of which property sources are checked, and how they are reported. */
class UnknownSettingsCheckTest {

    private final StandardEnvironment environment = new StandardEnvironment();

    @Test
    void checksEnvironmentVariablesWithTheSf1820PrefixOnly() {
        environment
                .getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of(
                                        "SF1820_EMBEDDED_SCANINTERVAL",
                                        "1s",
                                        "SF1820_WORK_DIR",
                                        "/w",
                                        "SF1820_JAVA_OPTS",
                                        "-Xmx1g",
                                        "SF1820_STAGE",
                                        "packager",
                                        "PATH",
                                        "/bin",
                                        "SPRING_KAFKA_BOOTSTRAP_SERVERS",
                                        "k:9092")));

        assertThat(UnknownSettingsCheck.problems(environment, KnownSettingsTest.KNOWN))
                .containsExactly("unknown setting SF1820_STAGE (environment); did you mean sf1820.stages?");
    }

    @Test
    void checksEveryOtherSourceUnderSf1820AndNamesIt() {
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "Config resource 'file [site.yml]'",
                        Map.of(
                                "sf1820.transporter.retry-budget",
                                "9h",
                                "sf1820.transporter.retry-budjet",
                                "9h",
                                "spring.kafka.bootstrap-servers",
                                "k:9092",
                                "logging.level.root",
                                "INFO")));

        assertThat(UnknownSettingsCheck.problems(environment, KnownSettingsTest.KNOWN))
                .containsExactly("unknown setting sf1820.transporter.retry-budjet (Config resource 'file [site.yml]'); "
                        + "did you mean sf1820.transporter.retry-budget?");
    }

    @Test
    void checksSystemProperties() {
        environment
                .getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                        new MapPropertySource(
                                StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                                Map.of(
                                        "sf1820.packager.threads",
                                        "2",
                                        "sf1820.packager.thread",
                                        "2",
                                        "java.version",
                                        "17")));

        assertThat(UnknownSettingsCheck.problems(environment, KnownSettingsTest.KNOWN))
                .containsExactly(
                        "unknown setting sf1820.packager.thread (system property); did you mean sf1820.packager.threads?");
    }
}

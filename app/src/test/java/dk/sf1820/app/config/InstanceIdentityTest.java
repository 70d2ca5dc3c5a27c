package dk.sf1820.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Issue 10, "Restart after a crash": the instance's name in its consumer groups survives a restart. */
class InstanceIdentityTest {

    @Test
    void theDefaultIsStableForOneHostAndWorkDirAndDistinctForAnother() {
        String id = InstanceIdentity.defaultId("pipeline-1.kommune.dk", Path.of("/var/lib/sf1820"));

        assertThat(id).matches("pipeline-1\\.kommune\\.dk-[0-9a-f]{8}");
        assertThat(InstanceIdentity.defaultId("pipeline-1.kommune.dk", Path.of("/var/lib/sf1820/../sf1820")))
                .isEqualTo(id);
        assertThat(InstanceIdentity.defaultId("pipeline-1.kommune.dk", Path.of("/var/lib/sf1820-b")))
                .isNotEqualTo(id);
        assertThat(InstanceIdentity.defaultId("pipeline-2.kommune.dk", Path.of("/var/lib/sf1820")))
                .isNotEqualTo(id);
        assertThat(InstanceIdentity.defaultId("host with spaces", Path.of("w"))).startsWith("host-with-spaces-");
    }

    @Test
    void everyConsumerAndStreamsMemberIsStaticUnderTheConfiguredId() {
        StandardEnvironment environment = environment(Map.of("sf1820.instance-id", "transporter-a"));

        new InstanceIdentity().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(InstanceIdentity.CONSUMER_INSTANCE)).isEqualTo("transporter-a");
        assertThat(environment.getProperty(InstanceIdentity.STREAMS_INSTANCE)).isEqualTo("transporter-a");
    }

    @Test
    void withoutAConfiguredIdTheDefaultIsUsedAndAnExplicitGroupInstanceIdWins() {
        StandardEnvironment environment = environment(
                Map.of("sf1820.work-dir", "/srv/sf1820", InstanceIdentity.STREAMS_INSTANCE, "tracker-explicit"));

        new InstanceIdentity().postProcessEnvironment(environment, new SpringApplication());

        assertThat(environment.getProperty(InstanceIdentity.INSTANCE_ID)).matches(".+-[0-9a-f]{8}");
        assertThat(environment.getProperty(InstanceIdentity.CONSUMER_INSTANCE))
                .isEqualTo(environment.getProperty(InstanceIdentity.INSTANCE_ID));
        assertThat(environment.getProperty(InstanceIdentity.STREAMS_INSTANCE)).isEqualTo("tracker-explicit");
    }

    @Test
    void anIdKafkaCannotCarryIsRefusedNamingTheSetting() {
        StandardEnvironment environment = environment(Map.of("sf1820.instance-id", "host a/b"));

        assertThatThrownBy(() -> new InstanceIdentity().postProcessEnvironment(environment, new SpringApplication()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sf1820.instance-id: 'host a/b'");
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}

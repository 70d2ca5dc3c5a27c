package dk.sf1820.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's listener settings for each protocol, and the settings refused with a message naming them. */
class EmbeddedKafkaSecurityTest {

    private static final Path KEYS = Path.of("/etc/sf1820/broker.p12");
    private static final Path TRUST = Path.of("/etc/sf1820/truststore.p12");

    @Test
    void plaintextStaysTheDefaultOnLoopback() {
        Properties p = EmbeddedKafkaSecurity.PLAINTEXT.listenerProperties(9092, 9093, null);

        assertThat(p)
                .containsOnly(
                        entry("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093"),
                        entry("advertised.listeners", "PLAINTEXT://127.0.0.1:9092"),
                        entry("inter.broker.listener.name", "PLAINTEXT"),
                        entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"));
    }

    @Test
    void mutualTlsRequiresClientCertificatesOnEveryListener() {
        Properties p = security("ssl", true, Map.of()).listenerProperties(9092, 9093, null);

        assertThat(p)
                .contains(
                        entry("listeners", "SSL://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093"),
                        entry("listener.security.protocol.map", "SSL:SSL,CONTROLLER:SSL"),
                        entry("listener.name.ssl.ssl.client.auth", "required"),
                        entry("listener.name.controller.ssl.client.auth", "required"),
                        entry("ssl.endpoint.identification.algorithm", "https"),
                        entry("ssl.keystore.location", KEYS.toAbsolutePath().toString()));
        assertThat(p.stringPropertyNames()).noneMatch(name -> name.contains("sasl"));
    }

    @Test
    void saslSslAuthenticatesTheBrokerToItselfWithItsOwnScramUser() {
        EmbeddedKafkaSecurity security = security("SASL_SSL", false, Map.of("alice", "alice-secret"));
        Properties p = security.listenerProperties(9092, 9093, "broker-secret");

        assertThat(p)
                .contains(
                        entry("sasl.enabled.mechanisms", "SCRAM-SHA-512"),
                        entry("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512"),
                        entry("listener.name.sasl_ssl.ssl.client.auth", "none"),
                        entry("listener.name.controller.ssl.client.auth", "required"));
        assertThat(p.getProperty("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config"))
                .contains("username=\"sf1820-broker\"")
                .contains("password=\"broker-secret\"");
        assertThat(security.scramCredentials("broker-secret").values())
                .containsExactly(
                        "SCRAM-SHA-512=[name=sf1820-broker,password=broker-secret]",
                        "SCRAM-SHA-512=[name=alice,password=alice-secret]");
        assertThat(security.toString())
                .contains("alice")
                .doesNotContain("alice-secret")
                .doesNotContain("store-secret");
    }

    @Test
    void saslSslWithoutUsersIsRefused() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> security("SASL_SSL", false, Map.of()))
                .withMessageContaining("sf1820.embedded.kafka-security.scram-users");
    }

    @Test
    void aPasswordTheFormatSyntaxCannotCarryIsRefusedWithoutShowingIt() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> security("SASL_SSL", false, Map.of("alice", "a,b]c")))
                .withMessageContaining("scram-users.alice")
                .withMessageNotContaining("a,b]c");
    }

    @Test
    void aMissingKeyStoreIsNamed() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new EmbeddedKafkaSecurity(
                        "SSL", null, null, "PKCS12", TRUST, "store-secret", "PKCS12", true, Map.of()))
                .withMessage("sf1820.embedded.kafka-security.key-store is required for SSL");
    }

    @Test
    void anUnknownProtocolIsNamed() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> security("SASL_PLAINTEXT", false, Map.of()))
                .withMessageContaining("PLAINTEXT, SSL or SASL_SSL")
                .withMessageContaining("SASL_PLAINTEXT");
    }

    @Test
    void aBrokerFormattedBeforeItsScramUsersRefusesToStartNamingThem(@TempDir Path dir) throws Exception {
        // storage formatted earlier, with PLAINTEXT: no SCRAM user exists in it
        Files.createDirectories(dir.resolve("kafka").resolve("data"));
        Files.writeString(dir.resolve("kafka").resolve("data").resolve("meta.properties"), "version=1\n");
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(
                dir.resolve("kafka"), 0, security("SASL_SSL", false, Map.of("alice", "alice-secret")), Map.of());

        assertThatIllegalStateException()
                .isThrownBy(() -> broker.start(Duration.ofSeconds(5)))
                .withMessageContaining("[sf1820-broker, alice]")
                .withMessageContaining("kafka-configs")
                .withMessageNotContaining("alice-secret");
        assertThat(broker.isRunning()).isFalse();
    }

    private static EmbeddedKafkaSecurity security(String protocol, boolean clientAuth, Map<String, String> users) {
        return new EmbeddedKafkaSecurity(
                protocol, KEYS, "store-secret", "PKCS12", TRUST, "store-secret", "PKCS12", clientAuth, users);
    }
}

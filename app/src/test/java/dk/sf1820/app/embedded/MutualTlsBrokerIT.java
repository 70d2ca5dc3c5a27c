package dk.sf1820.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * Issue 12: the embedded broker with mutual TLS. A client set up through Spring Boot's
 * {@code spring.kafka.ssl.*} settings with a certificate the broker trusts is let in; one that only
 * trusts the broker, presenting no certificate, is refused.
 */
class MutualTlsBrokerIT {

    private static final String STORE_PASSWORD = "mtls-store-secret";

    @TempDir
    static Path dir;

    static Path tls;
    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBrokerRequiringClientCertificates() throws Exception {
        tls = Files.createDirectories(dir.resolve("tls"));
        // the broker trusts its own certificate (it connects to itself) and the client's
        selfSigned("broker", "SAN=ip:127.0.0.1,dns:localhost");
        selfSigned("client", "SAN=dns:sf1820-client");
        for (String alias : List.of("broker", "client")) {
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    alias,
                    "-file",
                    tls.resolve(alias + ".crt").toString(),
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    tls.resolve("truststore.p12").toString(),
                    "-storepass",
                    STORE_PASSWORD);
        }
        EmbeddedKafkaSecurity security = new EmbeddedKafkaSecurity(
                "SSL",
                tls.resolve("broker.p12"),
                STORE_PASSWORD,
                "PKCS12",
                tls.resolve("truststore.p12"),
                STORE_PASSWORD,
                "PKCS12",
                true,
                Map.of());
        broker = new EmbeddedKafkaBroker(
                        Files.createDirectories(dir.resolve("work").resolve("kafka")), 0, security, springClient(true))
                .start(Duration.ofSeconds(60));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void aClientWithATrustedCertificateIsLetIn() throws Exception {
        assertThat(describeCluster(springClient(true))).isEqualTo(1);
    }

    @Test
    void aClientWithoutACertificateIsRefused() {
        // the broker ends the TLS handshake with bad_certificate
        assertThatThrownBy(() -> describeCluster(springClient(false)))
                .hasCauseInstanceOf(SslAuthenticationException.class);
    }

    /** The client settings as the application builds them from {@code spring.kafka.*}. */
    private static Map<String, Object> springClient(boolean withCertificate) {
        Map<String, String> settings = new HashMap<>();
        settings.put("spring.kafka.security.protocol", "SSL");
        settings.put(
                "spring.kafka.ssl.trust-store-location",
                tls.resolve("truststore.p12").toUri().toString());
        settings.put("spring.kafka.ssl.trust-store-password", STORE_PASSWORD);
        settings.put("spring.kafka.ssl.trust-store-type", "PKCS12");
        if (withCertificate) {
            settings.put(
                    "spring.kafka.ssl.key-store-location",
                    tls.resolve("client.p12").toUri().toString());
            settings.put("spring.kafka.ssl.key-store-password", STORE_PASSWORD);
            settings.put("spring.kafka.ssl.key-store-type", "PKCS12");
        }
        KafkaProperties kafka = new Binder(new MapConfigurationPropertySource(settings))
                .bind("spring.kafka", KafkaProperties.class)
                .get();
        Map<String, Object> config = new HashMap<>(kafka.buildAdminProperties());
        if (broker != null) {
            config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        }
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        return config;
    }

    private static int describeCluster(Map<String, Object> config) throws Exception {
        try (Admin admin = Admin.create(config)) {
            return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
        }
    }

    private static void selfSigned(String alias, String subjectAlternativeNames) throws Exception {
        keytool(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + alias,
                "-ext",
                subjectAlternativeNames,
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                tls.resolve(alias + ".p12").toString(),
                "-storepass",
                STORE_PASSWORD,
                "-keypass",
                STORE_PASSWORD);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                alias,
                "-keystore",
                tls.resolve(alias + ".p12").toString(),
                "-storepass",
                STORE_PASSWORD,
                "-file",
                tls.resolve(alias + ".crt").toString());
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0)
                .as(output)
                .isTrue();
    }
}

package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dk.sf1820.app.audit.AuditEntry;
import dk.sf1820.app.audit.AuditTrail;
import dk.sf1820.extractor.ExtractRequest;
import dk.sf1820.extractor.ExtractSubmitter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 12: the project's own broker with a SASL_SSL listener and SCRAM-SHA-512 users. The whole
 * pipeline (listeners, producers, Kafka Streams, topic creation, the audit reader) is configured only
 * through Spring Boot's {@code spring.kafka.security/ssl/properties.sasl} settings and delivers an
 * extract to DST through it; a client without credentials, or with a wrong password, is refused.
 */
class SecuredKafkaIT {

    private static final String STORE_PASSWORD = "store-secret-4711";
    private static final String USER = "sf1820-pipeline";
    private static final String PASSWORD = "scram-secret-0815";

    @TempDir
    static Path work;

    static Path trustStore;
    static ConfigurableApplicationContext app;
    static ReceivedAtDst dstReceived;

    @BeforeAll
    static void startPipelineOnASecuredBroker() throws Exception {
        // Given a broker certificate for 127.0.0.1 that the trust store vouches for
        Path tls = Files.createDirectories(work.resolve("tls"));
        Path keyStore = tls.resolve("broker.p12");
        trustStore = tls.resolve("truststore.p12");
        keytool(
                "-genkeypair",
                "-alias",
                "broker",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                STORE_PASSWORD,
                "-keypass",
                STORE_PASSWORD);
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "broker",
                "-keystore",
                keyStore.toString(),
                "-storepass",
                STORE_PASSWORD,
                "-file",
                tls.resolve("broker.crt").toString());
        keytool(
                "-importcert",
                "-noprompt",
                "-alias",
                "broker",
                "-file",
                tls.resolve("broker.crt").toString(),
                "-storetype",
                "PKCS12",
                "-keystore",
                trustStore.toString(),
                "-storepass",
                STORE_PASSWORD);

        // And the project's embedded broker with a SASL_SSL listener and a SCRAM user, the clients set up to match
        Map<String, Object> settings = new HashMap<>();
        settings.put("sf1820.embedded.kafka-security.protocol", "SASL_SSL");
        settings.put("sf1820.embedded.kafka-security.key-store", keyStore.toString());
        settings.put("sf1820.embedded.kafka-security.key-store-password", STORE_PASSWORD);
        settings.put("sf1820.embedded.kafka-security.trust-store", trustStore.toString());
        settings.put("sf1820.embedded.kafka-security.trust-store-password", STORE_PASSWORD);
        settings.put("sf1820.embedded.kafka-security.scram-users." + USER, PASSWORD);
        settings.put("spring.kafka.security.protocol", "SASL_SSL");
        settings.put("spring.kafka.ssl.trust-store-location", trustStore.toUri().toString());
        settings.put("spring.kafka.ssl.trust-store-password", STORE_PASSWORD);
        settings.put("spring.kafka.ssl.trust-store-type", "PKCS12");
        settings.put("spring.kafka.properties.sasl.mechanism", "SCRAM-SHA-512");
        settings.put(
                "spring.kafka.properties.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER + "\" password=\""
                        + PASSWORD + "\";");
        app = TestPipeline.start(work, List.of(), settings);
        dstReceived = app.getBean(ReceivedAtDst.class);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void anExtractReachesDstThroughTheSecuredBroker() throws IOException {
        // When one extract is submitted
        Path extract = Files.writeString(work.resolve("ksd.csv"), "sagsnummer;beloeb\nKSD-1;12,50\n");
        String transferId =
                app.getBean(ExtractSubmitter.class).submit(new ExtractRequest("KSD", "0561", "M03", extract));

        // Then DST receives it, and the audit trail (a consumer the application builds itself) shows its success
        await().atMost(Duration.ofSeconds(90)).until(() -> dstReceived.contains(transferId));
        AuditTrail audit = app.getBean(AuditTrail.class);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(
                        () -> assertThat(audit.replay().timelines(transferId).getOrDefault(transferId, List.of()))
                                .extracting(AuditEntry::type)
                                .contains("DeliverySucceeded"));

        // And no password reached the broker's logs
        try (Stream<Path> logs = Files.list(work.resolve("logs"))) {
            for (Path log : logs.toList()) {
                assertThat(Files.readString(log))
                        .as("%s", log)
                        .doesNotContain(PASSWORD)
                        .doesNotContain(STORE_PASSWORD);
            }
        }
    }

    @Test
    void aClientWithoutCredentialsIsRefused() {
        Map<String, Object> tlsOnly = client();
        tlsOnly.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SSL");
        assertThatThrownBy(() -> describeCluster(tlsOnly))
                .hasRootCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);

        Map<String, Object> plaintext = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                5000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                3000);
        assertThatThrownBy(() -> describeCluster(plaintext))
                .hasRootCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
    }

    @Test
    void aClientWithAWrongPasswordIsRefused() {
        Map<String, Object> wrong = client();
        wrong.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER
                        + "\" password=\"not-" + PASSWORD + "\";");

        assertThatThrownBy(() -> describeCluster(wrong)).hasCauseInstanceOf(SaslAuthenticationException.class);
    }

    @Test
    void theRightCredentialsAreLetIn() throws Exception {
        Map<String, Object> right = client();
        right.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + USER + "\" password=\""
                        + PASSWORD + "\";");

        assertThat(describeCluster(right)).isEqualTo(1);
    }

    /** A client that trusts the broker and speaks SASL_SSL with SCRAM-SHA-512, without credentials yet. */
    private static Map<String, Object> client() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
        config.put("sasl.mechanism", "SCRAM-SHA-512");
        config.put("ssl.truststore.location", trustStore.toString());
        config.put("ssl.truststore.password", STORE_PASSWORD);
        config.put("ssl.truststore.type", "PKCS12");
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        return config;
    }

    private static String bootstrapServers() {
        return String.join(",", app.getBean(KafkaProperties.class).getBootstrapServers());
    }

    private static int describeCluster(Map<String, Object> config) throws Exception {
        try (Admin admin = Admin.create(config)) {
            return admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).size();
        }
    }

    private static void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0)
                .as(output)
                .isTrue();
    }
}

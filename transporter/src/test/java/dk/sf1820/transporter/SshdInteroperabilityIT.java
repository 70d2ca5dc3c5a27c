package dk.sf1820.transporter;

import static dk.sf1820.transporter.Packages.DST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.TriggerType;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;
import dk.sf1820.sftp.SftpConnection;
import dk.sf1820.sftp.SftpConnector;
import dk.sf1820.testsupport.TopicReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The transporter against a server we did not write: Debian's OpenSSH sshd with {@code internal-sftp}
 * in a root-owned chroot, as {@code .ci/setup-sshd.sh} sets it up. Skips where that script has not run.
 */
@SpringBootTest(
        classes = SshdInteroperabilityIT.TestApp.class,
        properties = {
            "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
            "sf1820.kafka.partitions=1",
            "sf1820.transporter.staging-dir=" + SshdInteroperabilityIT.STAGING
        })
@EmbeddedKafka(partitions = 1)
class SshdInteroperabilityIT {

    /** Written by .ci/setup-sshd.sh; override with -Dsf1820.sshd.properties=... */
    static final String STAGING = "target/sshd-it-staging";

    static final Path SETTINGS =
            Path.of(System.getProperty("sf1820.sshd.properties", "/srv/sf1820-sftp/sshd-test.properties"));

    static Properties sshd;

    @Autowired
    EventPublisher publisher;

    @Value("${spring.embedded.kafka.brokers}")
    String brokers;

    /** The sshd's user is KSD's sender here: the transporter sends a package with its fagsystem's user only. */
    @DynamicPropertySource
    static void ksdSendsAsTheSshdUser(DynamicPropertyRegistry registry) {
        if (Files.isReadable(SETTINGS)) {
            registry.add("sf1820.registry.fagsystems.KSD.sftp-user", () -> load().getProperty("user"));
        }
    }

    @BeforeAll
    static void requireSshd() throws IOException {
        String absent = "SKIPPED SshdInteroperabilityIT: OpenSSH sshd for interoperability not set up: " + SETTINGS
                + " is absent; run .ci/setup-sshd.sh as root (CI does)";
        if (!Files.isReadable(SETTINGS)) {
            // surefire reports a class skipped in @BeforeAll as zero tests, without the reason
            System.err.println(absent);
        }
        assumeTrue(Files.isReadable(SETTINGS), absent);
        sshd = load();
    }

    @Test
    void deliversDataFileThenTriggerToOpenSshInternalSftp() throws Exception {
        Path zip = Packages.stageZip(Path.of(STAGING), Packages.fileName("KSD"), 5_000);
        PackageReady event = Packages.packageReady(zip, sshd.getProperty("user"), "KSD");
        Path out = Path.of(sshd.getProperty("root")).resolve("OUT");

        publisher.publish(Topics.PACKAGE_READY, event);

        try (TopicReader<?> transfers = TopicReader.events(brokers, Topics.TRANSFER_UPLOADED.name())) {
            assertThat(transfers.await(event.getTransferId()).value()).isInstanceOf(TransferUploaded.class);
        }
        try {
            assertThat(out.resolve(event.getFileName())).hasSameBinaryContentAs(zip);
            assertThat(out.resolve(event.getFileName() + ".trigger.part")).doesNotExist();
            TriggerType trigger;
            try (InputStream in = Files.newInputStream(out.resolve(event.getFileName() + ".trigger"))) {
                trigger = SftpXml.readTrigger(in, event.getFileName() + ".trigger");
            }
            assertThat(trigger.getFileDescriptor().getSendersFileId()).isEqualTo(event.getTransferId());
            assertThat(trigger.getFileDescriptor().getSizeInBytes().longValueExact())
                    .isEqualTo(Files.size(zip));
            assertThat(trigger.getFileDescriptor().getRecipients()).containsExactly(DST);
        } finally {
            Files.deleteIfExists(out.resolve(event.getFileName()));
            Files.deleteIfExists(out.resolve(event.getFileName() + ".trigger"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
    void logsInWithEachKeyType(String type) throws Exception {
        String name = "key-" + type + "-" + UUID.randomUUID() + ".txt";
        byte[] content = ("logged in with " + type).getBytes(StandardCharsets.UTF_8);
        try (SftpConnection sftp = new SftpConnector().open(account(sshd.getProperty("privateKey." + type)))) {
            sftp.upload(content, "/OUT/" + name);
            assertThat(sftp.size("/OUT/" + name)).hasValue(content.length);
            sftp.delete("/OUT/" + name);
        }
    }

    static SftpAccount account(String privateKey) {
        return new SftpAccount(
                sshd.getProperty("user"),
                sshd.getProperty("host"),
                Integer.parseInt(sshd.getProperty("port")),
                Path.of(privateKey),
                null,
                Path.of(sshd.getProperty("knownHosts")));
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(SETTINGS)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + SETTINGS, e);
        }
        return properties;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(TransporterConfiguration.class)
    static class TestApp {

        @Bean
        SftpAccounts sftpAccounts() {
            return new SftpAccounts(List.of(account(load().getProperty("privateKey"))));
        }
    }
}

package dk.sf1820.serviceplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dk.sf1820.schemas.sftp.Metadata;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import dk.sf1820.serviceplatform.scan.ScanReport;
import dk.sf1820.testsupport.Triggers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The emulator works with an SFTP client it was not written with: OpenSSH's own {@code sftp}
 * (Debian's openssh-client, installed by .ci/run), with the host key verified, uploads a data file
 * and its trigger, and the platform routes them.
 */
class OpenSshClientIT {

    static final String KSD = "KSD_SFTPSIMPEL";
    static final String DST = "DST-CEMOS-SFTPUsername";

    @TempDir
    static Path dir;

    static ServiceplatformEmulator platform;
    static LocalKey ksd;
    static Path knownHosts;

    @BeforeAll
    static void startPlatform() {
        ServiceplatformFixture test = ServiceplatformFixture.start(dir, KSD, DST);
        platform = test.emulator();
        ksd = test.key(KSD);
        knownHosts = test.knownHosts();
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @Test
    void openSshSftpUploadIsRoutedToTheRecipient() throws Exception {
        assumeTrue(OpenSshSftp.installed(), "OpenSSH sftp client not installed (apt-get install openssh-client)");
        String fileName = "KSD_DST_0561_M03_20260301120000.zip";
        String sendersFileId = UUID.randomUUID().toString();
        Path data = Files.write(dir.resolve(fileName), "PK bytes from OpenSSH".getBytes(StandardCharsets.UTF_8));
        Path trigger = Files.write(
                dir.resolve(fileName + ".trigger"),
                Triggers.xml(Triggers.trigger(fileName, Files.size(data), KSD, sendersFileId, List.of(DST))));
        OpenSshSftp.Result upload = ksd(platform, knownHosts)
                .run(
                        dir,
                        "put " + data + " /OUT/" + fileName + "\nput " + trigger + " /OUT/" + fileName + ".trigger\n");
        assertThat(upload.exitCode()).as(upload.output()).isZero();

        ScanReport report = platform.scanNow();

        assertThat(report.trigger(fileName + ".trigger").orElseThrow().status()).isEqualTo(ScanReport.Status.DELIVERED);
        Path dstIn = platform.home(DST).resolve("IN");
        assertThat(dstIn.resolve(fileName)).hasSameBinaryContentAs(data);
        Metadata metadata =
                SftpXml.readMetadata(Files.newInputStream(dstIn.resolve(fileName + ".metadata")), "metadata");
        assertThat(metadata.sendersFileId()).isEqualTo(sendersFileId);
        TechnicalReceiptType receipt = SftpXml.readTechnicalReceipt(
                Files.newInputStream(platform.home(KSD).resolve("IN").resolve(fileName + ".sftpreceipt")), "receipt");
        assertThat(receipt.getReceipt().getMessage()).isEqualTo("SUCCESS");
        assertThat(receipt.getSendersFileId()).isEqualTo(sendersFileId);
    }

    @Test
    void openSshRefusesTheEmulatorWhenTheHostKeyIsNotTheOneKnown() throws IOException, InterruptedException {
        assumeTrue(OpenSshSftp.installed(), "OpenSSH sftp client not installed (apt-get install openssh-client)");
        LocalKey other = LocalKeys.generate(dir.resolve("other"), "other");
        Path wrongKnownHosts = Files.writeString(
                dir.resolve("wrong_known_hosts"),
                "[127.0.0.1]:" + platform.port() + " " + other.authorizedKeyLine() + "\n");
        OpenSshSftp.Result result = ksd(platform, wrongKnownHosts).run(dir, "ls /OUT\n");
        assertThat(result.exitCode()).as(result.output()).isNotZero();
        assertThat(result.output()).containsIgnoringCase("host key");
    }

    @Test
    void openSshNegotiatesAnAesCipherAndAChaChaOnlyClientIsToldNoCipherMatches() throws Exception {
        assumeTrue(OpenSshSftp.installed(), "OpenSSH sftp client not installed (apt-get install openssh-client)");

        OpenSshSftp.Result usual = ksd(platform, knownHosts).run(dir, "ls /OUT\n", "-v");
        assertThat(usual.exitCode()).as(usual.output()).isZero();
        // OpenSSH's own order is chacha20-poly1305, aes128-ctr, ...: the first one the emulator offers wins.
        assertThat(usual.output()).contains("client->server cipher: aes128-ctr");

        OpenSshSftp.Result chachaOnly =
                ksd(platform, knownHosts).run(dir, "ls /OUT\n", "-c", "chacha20-poly1305@openssh.com");
        assertThat(chachaOnly.exitCode()).isNotZero();
        assertThat(chachaOnly.output()).contains("no matching cipher found");
    }

    @Test
    void cipherListIsConfigurable(@TempDir Path other) throws Exception {
        assumeTrue(OpenSshSftp.installed(), "OpenSSH sftp client not installed (apt-get install openssh-client)");
        try (ServiceplatformFixture chacha = ServiceplatformFixture.start(
                other,
                builder -> builder.ciphers(List.of("chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com")),
                KSD)) {
            OpenSshSftp client = new OpenSshSftp(
                    chacha.emulator().port(), KSD, chacha.key(KSD).privateKey(), chacha.knownHosts());
            OpenSshSftp.Result result = client.run(dir, "ls /OUT\n", "-v");
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("client->server cipher: chacha20-poly1305@openssh.com");

            OpenSshSftp.Result ctrOnly = client.run(dir, "ls /OUT\n", "-c", "aes128-ctr");
            assertThat(ctrOnly.exitCode()).isNotZero();
            assertThat(ctrOnly.output()).contains("no matching cipher found");
        }
    }

    /** OpenSSH's sftp as KSD against {@code emulator}, trusting the host keys in {@code knownHostsFile}. */
    private static OpenSshSftp ksd(ServiceplatformEmulator emulator, Path knownHostsFile) {
        return new OpenSshSftp(emulator.port(), KSD, ksd.privateKey(), knownHostsFile);
    }
}

package dk.sf1820.serviceplatform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dk.sf1820.schemas.sftp.Metadata;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
    static final Path SFTP = Path.of("/usr/bin/sftp");

    @TempDir
    static Path dir;
    static ServiceplatformEmulator platform;
    static LocalKey ksd;
    static Path knownHosts;

    @BeforeAll
    static void startPlatform() {
        TestPlatform test = TestPlatform.start(dir, KSD, DST);
        platform = test.emulator;
        ksd = test.key(KSD);
        knownHosts = test.knownHosts;
    }

    @AfterAll
    static void stopPlatform() {
        platform.close();
    }

    @Test
    void openSshSftpUploadIsRoutedToTheRecipient() throws Exception {
        assumeTrue(Files.isExecutable(SFTP), "OpenSSH sftp client not installed (apt-get install openssh-client)");
        String fileName = "KSD_DST_0561_M03_20260301120000.zip";
        String sendersFileId = UUID.randomUUID().toString();
        Path data = Files.write(dir.resolve(fileName), "PK bytes from OpenSSH".getBytes(StandardCharsets.UTF_8));
        Path trigger = Files.write(dir.resolve(fileName + ".trigger"),
                Triggers.xml(Triggers.trigger(fileName, Files.size(data), KSD, sendersFileId, List.of(DST))));
        Path batch = Files.writeString(dir.resolve("batch"),
                "put " + data + " /OUT/" + fileName + "\nput " + trigger + " /OUT/" + fileName + ".trigger\n");

        Process sftp = new ProcessBuilder(SFTP.toString(), "-b", batch.toString(), "-P", Integer.toString(platform.port()),
                "-i", ksd.privateKey().toString(), "-o", "UserKnownHostsFile=" + knownHosts,
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "PasswordAuthentication=no",
                KSD + "@127.0.0.1").redirectErrorStream(true).start();
        String output = new String(sftp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sftp.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sftp.exitValue()).as(output).isZero();

        ScanReport report = platform.scanNow();

        assertThat(report.trigger(fileName + ".trigger").orElseThrow().status()).isEqualTo(ScanReport.Status.DELIVERED);
        Path dstIn = platform.home(DST).resolve("IN");
        assertThat(dstIn.resolve(fileName)).hasSameBinaryContentAs(data);
        Metadata metadata = SftpXml.readMetadata(Files.newInputStream(dstIn.resolve(fileName + ".metadata")), "metadata");
        assertThat(metadata.sendersFileId()).isEqualTo(sendersFileId);
        TechnicalReceiptType receipt = SftpXml.readTechnicalReceipt(
                Files.newInputStream(platform.home(KSD).resolve("IN").resolve(fileName + ".sftpreceipt")), "receipt");
        assertThat(receipt.getReceipt().getMessage()).isEqualTo("SUCCESS");
        assertThat(receipt.getSendersFileId()).isEqualTo(sendersFileId);
    }

    @Test
    void openSshRefusesTheEmulatorWhenTheHostKeyIsNotTheOneKnown() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(SFTP), "OpenSSH sftp client not installed (apt-get install openssh-client)");
        LocalKey other = LocalKeys.generate(dir.resolve("other"), "other");
        Path wrongKnownHosts = Files.writeString(dir.resolve("wrong_known_hosts"),
                "[127.0.0.1]:" + platform.port() + " " + other.authorizedKeyLine() + "\n");
        Path batch = Files.writeString(dir.resolve("batch-ls"), "ls /OUT\n");
        Process sftp = new ProcessBuilder(SFTP.toString(), "-b", batch.toString(), "-P", Integer.toString(platform.port()),
                "-i", ksd.privateKey().toString(), "-o", "UserKnownHostsFile=" + wrongKnownHosts,
                "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", KSD + "@127.0.0.1")
                .redirectErrorStream(true).start();
        String output = new String(sftp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sftp.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sftp.exitValue()).as(output).isNotZero();
        assertThat(output).containsIgnoringCase("host key");
    }
}

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
        assumeTrue(Files.isExecutable(SFTP), "OpenSSH sftp client not installed (apt-get install openssh-client)");
        String fileName = "KSD_DST_0561_M03_20260301120000.zip";
        String sendersFileId = UUID.randomUUID().toString();
        Path data = Files.write(dir.resolve(fileName), "PK bytes from OpenSSH".getBytes(StandardCharsets.UTF_8));
        Path trigger = Files.write(
                dir.resolve(fileName + ".trigger"),
                Triggers.xml(Triggers.trigger(fileName, Files.size(data), KSD, sendersFileId, List.of(DST))));
        Path batch = Files.writeString(
                dir.resolve("batch"),
                "put " + data + " /OUT/" + fileName + "\nput " + trigger + " /OUT/" + fileName + ".trigger\n");

        Process sftp = new ProcessBuilder(
                        SFTP.toString(),
                        "-b",
                        batch.toString(),
                        "-P",
                        Integer.toString(platform.port()),
                        "-i",
                        ksd.privateKey().toString(),
                        "-o",
                        "UserKnownHostsFile=" + knownHosts,
                        "-o",
                        "StrictHostKeyChecking=yes",
                        "-o",
                        "BatchMode=yes",
                        "-o",
                        "PasswordAuthentication=no",
                        KSD + "@127.0.0.1")
                .redirectErrorStream(true)
                .start();
        String output = new String(sftp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sftp.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sftp.exitValue()).as(output).isZero();

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
        assumeTrue(Files.isExecutable(SFTP), "OpenSSH sftp client not installed (apt-get install openssh-client)");
        LocalKey other = LocalKeys.generate(dir.resolve("other"), "other");
        Path wrongKnownHosts = Files.writeString(
                dir.resolve("wrong_known_hosts"),
                "[127.0.0.1]:" + platform.port() + " " + other.authorizedKeyLine() + "\n");
        Path batch = Files.writeString(dir.resolve("batch-ls"), "ls /OUT\n");
        Process sftp = new ProcessBuilder(
                        SFTP.toString(),
                        "-b",
                        batch.toString(),
                        "-P",
                        Integer.toString(platform.port()),
                        "-i",
                        ksd.privateKey().toString(),
                        "-o",
                        "UserKnownHostsFile=" + wrongKnownHosts,
                        "-o",
                        "StrictHostKeyChecking=yes",
                        "-o",
                        "BatchMode=yes",
                        KSD + "@127.0.0.1")
                .redirectErrorStream(true)
                .start();
        String output = new String(sftp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sftp.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(sftp.exitValue()).as(output).isNotZero();
        assertThat(output).containsIgnoringCase("host key");
    }

    @Test
    void openSshNegotiatesAnAesCipherAndAChaChaOnlyClientIsToldNoCipherMatches() throws Exception {
        assumeTrue(Files.isExecutable(SFTP), "OpenSSH sftp client not installed (apt-get install openssh-client)");

        Result usual = listOut(platform, knownHosts, "-v");
        assertThat(usual.exitCode()).as(usual.output()).isZero();
        // OpenSSH's own order is chacha20-poly1305, aes128-ctr, ...: the first one the emulator offers wins.
        assertThat(usual.output()).contains("client->server cipher: aes128-ctr");

        Result chachaOnly = listOut(platform, knownHosts, "-c", "chacha20-poly1305@openssh.com");
        assertThat(chachaOnly.exitCode()).isNotZero();
        assertThat(chachaOnly.output()).contains("no matching cipher found");
    }

    @Test
    void cipherListIsConfigurable(@TempDir Path other) throws Exception {
        assumeTrue(Files.isExecutable(SFTP), "OpenSSH sftp client not installed (apt-get install openssh-client)");
        try (ServiceplatformFixture chacha = ServiceplatformFixture.start(
                other,
                builder -> builder.ciphers(List.of("chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com")),
                KSD)) {
            ServiceplatformEmulator emulator = chacha.emulator();
            Result result = listOut(
                    emulator,
                    chacha.knownHosts(),
                    "-v",
                    "-i",
                    chacha.key(KSD).privateKey().toString());
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).contains("client->server cipher: chacha20-poly1305@openssh.com");

            Result ctrOnly = listOut(
                    emulator,
                    chacha.knownHosts(),
                    "-c",
                    "aes128-ctr",
                    "-i",
                    chacha.key(KSD).privateKey().toString());
            assertThat(ctrOnly.exitCode()).isNotZero();
            assertThat(ctrOnly.output()).contains("no matching cipher found");
        }
    }

    private record Result(int exitCode, String output) {}

    /** {@code ls /OUT} by OpenSSH's sftp as KSD; a later {@code -i} in {@code options} takes precedence. */
    private static Result listOut(ServiceplatformEmulator emulator, Path knownHostsFile, String... options)
            throws IOException, InterruptedException {
        Path batch = Files.writeString(dir.resolve("batch-ls-out"), "ls /OUT\n");
        List<String> command = new java.util.ArrayList<>(List.of(
                SFTP.toString(),
                "-b",
                batch.toString(),
                "-P",
                Integer.toString(emulator.port()),
                "-o",
                "UserKnownHostsFile=" + knownHostsFile,
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "BatchMode=yes",
                "-o",
                "IdentitiesOnly=yes"));
        command.addAll(List.of(options));
        if (!command.contains("-i")) {
            command.addAll(List.of("-i", ksd.privateKey().toString()));
        }
        command.add(KSD + "@127.0.0.1");
        Process sftp = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(sftp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sftp.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(sftp.exitValue(), output);
    }
}

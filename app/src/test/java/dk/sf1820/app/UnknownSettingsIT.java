package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 10, "Typos must not pass silently": an unknown {@code sf1820.*} setting from any source, and an
 * unknown command option, stops the command before anything starts (no broker, no emulator), naming
 * the closest known setting or option, with exit status 64.
 */
class UnknownSettingsIT {

    @TempDir
    Path work;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int cli(String... args) {
        return Cli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void assertNothingStarted() {
        assertThat(work.resolve("kafka")).doesNotExist();
        assertThat(work.resolve("serviceplatform")).doesNotExist();
    }

    @Test
    void aMistypedKeyOnTheCommandLineIsRefused() {
        int status = cli("run", "--work-dir", work.toString(), "--sf1820.embedded.scan-intervall=1s");

        assertThat(status).isEqualTo(Cli.USAGE);
        assertThat(err())
                .contains("unknown setting sf1820.embedded.scan-intervall (command line); "
                        + "did you mean sf1820.embedded.scan-interval?");
        assertNothingStarted();
    }

    @Test
    void mistypedMapAndListEntriesAreRefusedEachNamed() {
        int status = cli(
                "status",
                "--work-dir",
                work.toString(),
                "--sf1820.registry.fagsystems.KSD.sftp-usr=KSD_X",
                "--sf1820.sftp.accounts[0].usr=DST",
                "--sf1820.extractor.datasets.ksd.jdbc.ulr=jdbc:h2:mem:x",
                // known: relaxed forms and new map entries
                "--sf1820.embedded.scanInterval=1s",
                "--sf1820.registry.fagsystems.XYZ.name=Test");

        assertThat(status).isEqualTo(Cli.USAGE);
        assertThat(err())
                .contains(
                        "unknown setting sf1820.registry.fagsystems.KSD.sftp-usr (command line); did you mean "
                                + "sf1820.registry.fagsystems.KSD.sftp-user?",
                        "unknown setting sf1820.sftp.accounts[0].usr (command line); did you mean sf1820.sftp.accounts[0].user?",
                        "unknown setting sf1820.extractor.datasets.ksd.jdbc.ulr (command line); did you mean "
                                + "sf1820.extractor.datasets.ksd.jdbc.url?");
        assertThat(err()).doesNotContain("scanInterval", "XYZ");
        assertNothingStarted();
    }

    @Test
    void aMistypedKeyInAYamlFileIsRefusedNamingTheFile() throws IOException {
        Path yaml = Files.writeString(work.resolve("site.yml"), """
                sf1820:
                  packager:
                    compresion-level: 9
                  embedded:
                    scan-interval: 1s
                """);

        int status = cli(
                "run",
                "--work-dir",
                work.toString(),
                "--spring.config.additional-location=file:" + yaml.toAbsolutePath());

        assertThat(status).isEqualTo(Cli.USAGE);
        assertThat(err())
                .contains(
                        "unknown setting sf1820.packager.compresion-level",
                        "site.yml",
                        "did you mean sf1820.packager.compression-level?");
        assertThat(err()).doesNotContain("scan-interval");
        assertNothingStarted();
    }

    @Test
    void aMistypedKeyInTheDstReceiversConfigFileIsRefused() throws IOException {
        Path config = Files.writeString(work.resolve("dst.properties"), """
                sf1820.sftp.accounts[0].user=DST-CEMOS-SFTPUsername
                sf1820.sftp.accounts[0].hots=sftp.serviceplatformen.dk
                sf1820.dst-receiver.store-dir=%s
                """.formatted(work.resolve("received")));

        int status = cli("dst-receiver", "--config", config.toString());

        assertThat(status).isEqualTo(Cli.USAGE);
        assertThat(err())
                .contains(
                        "unknown setting sf1820.sftp.accounts[0].hots",
                        "dst.properties",
                        "did you mean sf1820.sftp.accounts[0].host?");
    }

    @Test
    void aMistypedEnvironmentVariableIsRefusedBeforeTheBrokerStarts() throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dk.sf1820.schemas.avro",
                "-cp",
                System.getProperty("java.class.path"),
                Sf1820Application.class.getName(),
                "run",
                "--work-dir",
                work.toString()));
        Path log = work.resolve("run.log");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
        builder.environment().put("SF1820_EMBEDDED_SCANINTERVALL", "1s");
        // the relaxed forms of known settings pass
        builder.environment().put("SF1820_EMBEDDED_SCAN_INTERVAL", "1s");
        builder.environment().put("SF1820_KAFKA_REPLICATION_FACTOR", "1");
        Process process = builder.start();
        try {
            assertThat(process.waitFor(120, TimeUnit.SECONDS))
                    .as("exits, see " + log)
                    .isTrue();
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).isEqualTo(Cli.USAGE);
        String output = Files.readString(log);
        assertThat(output)
                .contains("unknown setting SF1820_EMBEDDED_SCANINTERVALL (environment); did you mean "
                        + "sf1820.embedded.scan-interval?");
        assertThat(output).doesNotContain("SF1820_EMBEDDED_SCAN_INTERVAL ", "SF1820_KAFKA_REPLICATION_FACTOR");
        assertNothingStarted();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "submit --fagsytem KSD --authority 0561 --period M03 x.csv | --fagsytem; did you mean --fagsystem?",
                "submit --fagsystem KSD --authority 0561 --period M03 --resent x.csv | --resent; did you mean --resend?",
                "run --bootstrap-server 127.0.0.1:9 | --bootstrap-server; did you mean --bootstrap-servers?",
                "run --stages packager | --stages; did you mean",
                "status --perod M03 | --perod; did you mean --period?",
                "audit --fagsystem KSD some-id | unknown option --fagsystem",
                "demo --workdir x | --workdir; did you mean --work-dir?",
                "serviceplatform --root r --users u --prot 2222 | --prot; did you mean --port?",
                "dst-receiver --confg dst.properties | --confg; did you mean --config?"
            })
    void anUnknownCommandOptionIsRefusedNamingTheClosestKnownOne(String commandLine, String expected) {
        String[] args = commandLine.strip().split(" +");
        List<String> withWorkDir = new ArrayList<>(List.of(args));
        withWorkDir.add(1, "--work-dir=" + work);

        int status = cli(withWorkDir.toArray(String[]::new));

        assertThat(status).isEqualTo(Cli.USAGE);
        assertThat(err())
                .contains("unknown option " + expected.strip().split(";")[0].replace("unknown option ", ""))
                .contains(expected.strip());
        assertNothingStarted();
    }

    @Test
    void aStrayArgumentToACommandWithoutArgumentsIsRefused() {
        assertThat(cli("run", "--work-dir", work.toString(), "packager")).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("unexpected argument(s) [packager]");
        assertNothingStarted();
    }
}

package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14, "Command line": every command answers {@code --help} with what it takes and does nothing
 * else (before, {@code demo --help} ran the demo and {@code run --help} started the pipeline); {@code help}
 * lists the commands and the exit codes; a mistake on the command line is exit 64 with one line naming
 * what to change. Nothing here needs Kafka: none of it may start anything.
 */
class CliTest {

    @TempDir
    Path work;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int cli(String... args) {
        // a command that started its work instead of answering would block (run) or take minutes (demo)
        return assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> Cli.run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8)));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "run", "submit", "audit", "status", "purge", "serviceplatform", "dst-receiver"})
    void helpOnEveryCommandShowsWhatItTakesAndStartsNothing(String command) {
        for (String help : new String[] {"--help", "-h"}) {
            out.reset();

            int status = cli(command, "--work-dir", work.toString(), help);

            assertThat(status).isZero();
            assertThat(out()).startsWith("Usage: sf1820 " + command).contains("--help", "--work-dir=DIR");
        }
        assertThat(err()).isEmpty();
        assertThat(work).isEmptyDirectory();
    }

    /** A directory given as the configuration file is refused as what it is, at once, starting nothing. */
    @Test
    void dstReceiverRefusesADirectoryAsItsConfigurationFile() {
        assertThat(cli("dst-receiver", "--work-dir", work.toString(), "--config", work.toString()))
                .isEqualTo(64);

        assertThat(err()).contains("--config " + work + ": not a regular file");
        assertThat(work).isEmptyDirectory();
    }

    @Test
    void helpOfACommandIsAlsoReachedThroughTheHelpCommand() {
        assertThat(cli("help", "submit")).isZero();

        assertThat(out()).startsWith("Usage: sf1820 submit").contains("--fagsystem=CODE", "--resend", "--wait", "FILE");
    }

    @Test
    void helpListsEveryCommandAndTheExitCodes() {
        assertThat(cli("help")).isZero();

        assertThat(out())
                .contains(
                        "demo",
                        "run",
                        "submit",
                        "audit",
                        "status",
                        "purge",
                        "serviceplatform",
                        "dst-receiver",
                        "--sf1820.KEY=VALUE",
                        "--bootstrap-servers");
        assertThat(out())
                .containsPattern("exit codes:\\R  0 +done")
                .containsPattern("\\R  1 +failed")
                .containsPattern("\\R  2 +extract refused")
                .containsPattern("\\R  3 +duplicate extract")
                .containsPattern("\\R  4 +extract recorded but not announced")
                .containsPattern("\\R  5 +delivery timed out")
                .containsPattern("\\R  64 +usage")
                .containsPattern("\\R  70 +a stage cannot go on");
    }

    @Test
    void noCommandShowsTheHelpAsAUsageError() {
        assertThat(cli()).isEqualTo(Cli.USAGE);

        assertThat(out()).contains("usage: ./sf1820 <command> [options]", "exit codes:");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "sumbit x.csv | sf1820: unknown command 'sumbit'; did you mean 'submit'?",
                "stauts | sf1820: unknown command 'stauts'; did you mean 'status'?",
                "status --fagsystem KSD --wacth 5 | sf1820 status: unknown option --wacth; did you mean --watch?",
                "submit --fagsystem KSD --authority 0561 --period M03 --wiat x.csv | did you mean --wait?",
                "submit --fagsystem KSD --authority 0561 --period M03 | sf1820 submit: Missing required parameter: 'FILE'",
                "audit | sf1820 audit: Missing required parameter",
                "purge one two | sf1820 purge: unexpected argument(s) [two]",
                "run --hepl | unknown option --hepl; did you mean --help?",
                "status --watch soon | sf1820 status: Invalid value for option '--watch'"
            })
    void aMistakeOnTheCommandLineIsAUsageErrorNamingWhatToChange(String commandLine, String expected) {
        int status = cli(commandLine.strip().split(" +"));

        assertThat(status).isEqualTo(Cli.USAGE);
        assertThat(err())
                .contains(expected.strip())
                .containsAnyOf("--help shows what it takes", "help lists the commands");
        assertThat(out()).isEmpty();
    }

    @Test
    void watchTakesAtLeastOneSecond() {
        assertThat(cli("status", "--work-dir", work.toString(), "--watch=0")).isEqualTo(Cli.USAGE);

        assertThat(err()).contains("sf1820 status: --watch takes a whole number of seconds, at least 1, got 0");
        assertThat(work).isEmptyDirectory();
    }

    @Test
    void anArgumentStartingWithAtIsTakenAsItIsNotAsAFileOfArguments() throws Exception {
        java.nio.file.Files.writeString(work.resolve("ids.txt"), "--help\n");

        int status = cli("purge", "--work-dir", work.toString(), "@" + work.resolve("ids.txt"));

        assertThat(status).isEqualTo(Cli.USAGE);
        assertThat(err()).contains("'@" + work.resolve("ids.txt") + "' is not a transferId");
    }

    @Test
    void dottedOptionsAreSpringSettingsPassedThrough() {
        assertThat(Cli.isSpringSetting("--sf1820.stages=packager")).isTrue();
        assertThat(Cli.isSpringSetting("--management.endpoints.web.exposure.include=health"))
                .isTrue();
        assertThat(Cli.isSpringSetting("--server.port=0")).isTrue();
        assertThat(Cli.isSpringSetting("--work-dir=/srv/sf1820.d")).isFalse();
        assertThat(Cli.isSpringSetting("--fagsystem")).isFalse();
        assertThat(Cli.isSpringSetting("extract.csv")).isFalse();
    }
}

package dk.sf1820.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sf1820 demo} on the embedded default: the project's own Kafka broker (a child JVM, KRaft)
 * and the emulator, from nothing but a work directory.
 */
class DemoCommandIT {

    @TempDir
    Path work;

    @Test
    void demoDeliversAllFiveAndShowsValgRefused() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8);

        int status = Cli.run(new String[] {"demo", "--work-dir", work.toString()}, out, out);

        String printed = captured.toString(StandardCharsets.UTF_8);
        assertThat(status).as(printed).isZero();
        assertThat(printed.lines().filter(l -> l.contains("DeliverySucceeded") && l.endsWith("stored")))
                .as(printed)
                .hasSize(5);
        // KSD's extract is queried from the sample database for March of this year, so its name has the year
        assertThat(printed).containsPattern("(?m)^KSD +query +KSD_DST_0561_\\d{4}M03_\\d{14}\\.zip ");
        for (String code : new String[] {"DUBU", "KY", "FBS", "KP"}) {
            assertThat(printed).containsPattern("(?m)^" + code + " +file +" + code + "_DST_0561_M03_\\d{14}\\.zip ");
        }
        assertThat(printed).contains("VALG: refused: fagsystem VALG").contains("SF1820 specifies no extract");
        assertThat(printed).contains("5 of 5 extracts delivered to DST");
        // the broker kept its data in the work directory, so topics survive a restart
        assertThat(Files.exists(work.resolve("kafka/data/meta.properties"))).isTrue();

        // issue 5: after the demo stopped its broker, audit and status start it again from the work
        // directory and tell every transfer's history from the topics alone
        Matcher ksd = Pattern.compile("(?m)^KSD +\\S+ +\\S+ +([0-9a-f-]{36}) ").matcher(printed);
        assertThat(ksd.find()).as(printed).isTrue();
        ByteArrayOutputStream audit = new ByteArrayOutputStream();
        assertThat(Cli.run(
                        new String[] {"audit", ksd.group(1), "--work-dir", work.toString()},
                        new PrintStream(audit, true, StandardCharsets.UTF_8),
                        out))
                .isZero();
        assertThat(audit.toString(StandardCharsets.UTF_8))
                .containsSubsequence(
                        "extractor",
                        "ExtractReady",
                        "packager",
                        "PackageReady",
                        "transporter",
                        "TransferUploaded",
                        "receipt-tracker",
                        "ReceiptReceived",
                        "receipt-tracker",
                        "DeliverySucceeded");
        // one month of the sample database's 12 × 120 rows, streamed by the query source
        assertThat(audit.toString(StandardCharsets.UTF_8))
                .containsPattern("source +query")
                .containsPattern("dataset +ksd-sygedagpenge")
                .containsPattern("rowCount +120\\b");
        ByteArrayOutputStream statusOut = new ByteArrayOutputStream();
        assertThat(Cli.run(
                        new String[] {"status", "--work-dir", work.toString()},
                        new PrintStream(statusOut, true, StandardCharsets.UTF_8),
                        out))
                .isZero();
        assertThat(statusOut.toString(StandardCharsets.UTF_8))
                .contains("5 transfer(s): SUCCEEDED=5")
                .contains("nothing needs attention");
    }
}

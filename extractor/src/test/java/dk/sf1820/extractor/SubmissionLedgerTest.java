package dk.sf1820.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.extractor.SubmissionLedger.Submission;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmissionLedgerTest {

    static final Instant NOW = Instant.parse("2026-04-01T06:00:00Z");
    static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    static final Submission KSD_M03 = new Submission("KSD", "0561", "M03", SHA, "submit", "/exports/ksd.csv");

    @TempDir
    Path staging;

    final SubmissionLedger ledger() {
        return new SubmissionLedger(staging, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aFirstDeliveryGetsTheIdDerivedFromWhatTheExtractIs() {
        assertThat(ledger().claim(KSD_M03, false)).isEqualTo(TransferIds.of("KSD", "0561", "M03", SHA));
    }

    @Test
    void aSecondClaimOfTheSameExtractIsRefusedNamingTheFirst() {
        String first = ledger().claim(KSD_M03, false);
        ledger().published(first);

        assertThatThrownBy(() -> ledger().claim(new Submission("KSD", "0561", "M03", SHA, "drop-folder", "/drop/x.csv"),
                false))
                .isInstanceOfSatisfying(DuplicateExtractException.class,
                        e -> assertThat(e.earlierTransferId()).isEqualTo(first))
                .hasMessage("extract /drop/x.csv (KSD 0561 M03, sha256 " + SHA + ") was submitted before, at " + NOW
                        + " by submit from /exports/ksd.csv as transferId " + first
                        + "; it is not delivered twice: resend it to deliver it again on purpose");
    }

    @Test
    void eachResendIsANewTransferId() {
        String first = ledger().claim(KSD_M03, false);

        String resend1 = ledger().claim(KSD_M03, true);
        String resend2 = ledger().claim(KSD_M03, true);

        assertThat(List.of(first, resend1, resend2)).doesNotHaveDuplicates();
        assertThat(resend1).isEqualTo(TransferIds.of("KSD", "0561", "M03", SHA, 1));
        assertThat(resend2).isEqualTo(TransferIds.of("KSD", "0561", "M03", SHA, 2));
    }

    @Test
    void aReleasedClaimCanBeMadeAgain() {
        String first = ledger().claim(KSD_M03, false);
        ledger().release(first);

        assertThat(ledger().claim(KSD_M03, false)).isEqualTo(first);
    }

    @Test
    void ofManyInstancesClaimingOneExtractAtOnceExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> claims = IntStream.range(0, 16).<Callable<Boolean>>mapToObj(i -> () -> {
                try {
                    ledger().claim(KSD_M03, false);
                    return true;
                } catch (DuplicateExtractException e) {
                    return false;
                }
            }).toList();
            List<Boolean> won = pool.invokeAll(claims).stream().map(SubmissionLedgerTest::get).toList();

            assertThat(won).containsOnlyOnce(true);
        } finally {
            pool.shutdown();
        }
        try (var files = Files.list(staging.resolve("submissions"))) {
            assertThat(files).as("no temporary records left").hasSize(1);
        }
    }

    @Test
    void theStagerLeavesTheEarlierCopyAloneWhenRefusingADuplicate() throws Exception {
        ExtractStager stager = new ExtractStager(FagsystemRegistry.standard(), staging, ledger());
        Path file = Files.writeString(Files.createDirectories(staging.resolve("in")).resolve("a.csv"), "rows\n");
        StagedExtract first = stager.stage(new ExtractRequest("KSD", "0561", "M03", file));
        Files.writeString(first.file(), "rows\n"); // same bytes, new modification time
        long modified = Files.getLastModifiedTime(first.file()).toMillis();

        assertThatThrownBy(() -> stager.stage(new ExtractRequest("KSD", "0561", "M03", file)))
                .isInstanceOf(DuplicateExtractException.class);

        assertThat(Files.getLastModifiedTime(first.file()).toMillis()).isEqualTo(modified);
        try (var extracts = Files.list(staging.resolve("extracts"))) {
            assertThat(extracts).as("no partial copy left behind").containsExactly(first.file().getParent());
        }
    }

    private static boolean get(Future<Boolean> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package dk.sf1820.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.extractor.SubmissionLedger.Claim;
import dk.sf1820.extractor.SubmissionLedger.Submission;
import dk.sf1820.extractor.SubmissionLedger.Unannounced;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
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

    /** The ExtractReady a stager would record for the transferId: a fresh eventId each time it is asked. */
    static ExtractReady announcement(String transferId) {
        return ExtractReady.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setTransferId(transferId)
                .setFagsystem("KSD")
                .setAuthority("0561")
                .setPeriod("M03")
                .setOccurredAt(NOW)
                .setStagedFile("file:///staging/extracts/" + transferId + "/ksd.csv")
                .setOriginalFileName("ksd.csv")
                .setSizeBytes(5)
                .setSha256(SHA)
                .setRowCount(4L)
                .setDataset("ksd-sygedage")
                .setSource("submit")
                .setEncoding("ISO-8859-1")
                .build();
    }

    final Claim claim(Submission submission, boolean resend) {
        return ledger().claim(submission, resend, SubmissionLedgerTest::announcement);
    }

    @Test
    void aFirstDeliveryGetsTheIdDerivedFromWhatTheExtractIs() {
        assertThat(claim(KSD_M03, false).transferId()).isEqualTo(TransferIds.of("KSD", "0561", "M03", SHA));
    }

    @Test
    void aSecondClaimOfTheSameExtractIsRefusedNamingTheFirst() {
        String first = claim(KSD_M03, false).transferId();
        ledger().published(first);

        assertThatThrownBy(() -> claim(new Submission("KSD", "0561", "M03", SHA, "drop-folder", "/drop/x.csv"), false))
                .isInstanceOfSatisfying(
                        DuplicateExtractException.class,
                        e -> assertThat(e.earlierTransferId()).isEqualTo(first))
                .hasMessage("extract /drop/x.csv (KSD 0561 M03, sha256 " + SHA + ") was submitted before, at " + NOW
                        + " by submit from /exports/ksd.csv as transferId " + first
                        + "; it is not delivered twice: resend it to deliver it again on purpose");
    }

    @Test
    void eachResendIsANewTransferId() {
        String first = claim(KSD_M03, false).transferId();
        ledger().published(first);

        String resend1 = claim(KSD_M03, true).transferId();
        ledger().published(resend1);
        String resend2 = claim(KSD_M03, true).transferId();

        assertThat(List.of(first, resend1, resend2)).doesNotHaveDuplicates();
        assertThat(resend1).isEqualTo(TransferIds.of("KSD", "0561", "M03", SHA, 1));
        assertThat(resend2).isEqualTo(TransferIds.of("KSD", "0561", "M03", SHA, 2));
    }

    @Test
    void aReleasedClaimCanBeMadeAgain() {
        String first = claim(KSD_M03, false).transferId();
        ledger().release(first);

        assertThat(claim(KSD_M03, false).transferId()).isEqualTo(first);
    }

    @Test
    void ofManyInstancesClaimingOneExtractAtOnceExactlyOneRecordsItAndTheOthersAdoptItsEvent() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Claim> claims;
        try {
            claims = pool
                    .invokeAll(IntStream.range(0, 16)
                            .<Callable<Claim>>mapToObj(i -> () -> claim(KSD_M03, false))
                            .toList())
                    .stream()
                    .map(SubmissionLedgerTest::get)
                    .toList();
        } finally {
            pool.shutdown();
        }

        assertThat(claims).filteredOn(c -> !c.adopted()).hasSize(1);
        Claim recorded = claims.stream().filter(c -> !c.adopted()).findFirst().orElseThrow();
        assertThat(claims)
                .extracting(c -> c.announcement().getEventId())
                .containsOnly(recorded.announcement().getEventId());
        try (var files = Files.list(staging.resolve("submissions"))) {
            assertThat(files).as("no temporary records left").hasSize(1);
        }
    }

    @Test
    void aRecordedButUnannouncedClaimIsAdoptedWithItsRecordedEventNotRefusedAsADuplicate() {
        // Given a claim whose process died before its ExtractReady was published (issue 10)
        Claim before = claim(KSD_M03, false);

        // When the same extract is claimed again (the drop folder's re-claim, an HTTP retry)
        Claim again = claim(new Submission("KSD", "0561", "M03", SHA, "drop-folder", "/drop/x.csv"), false);

        // Then it is the same transfer, to be announced with the very same event
        assertThat(again.adopted()).isTrue();
        assertThat(again.transferId()).isEqualTo(before.transferId());
        assertThat(again.announcement()).isEqualTo(before.announcement());
        assertThat(ledger().isPublished(before.transferId())).isFalse();
    }

    @Test
    void onlyAnAnnouncedClaimMakesADuplicate() {
        Claim first = claim(KSD_M03, false);
        ledger().published(first.transferId());

        assertThatThrownBy(() -> claim(KSD_M03, false)).isInstanceOf(DuplicateExtractException.class);
        assertThat(ledger().isPublished(first.transferId())).isTrue();
    }

    @Test
    void anUnannouncedResendIsAdoptedByTheNextResendInsteadOfDeliveringTwice() {
        ledger().published(claim(KSD_M03, false).transferId());
        Claim resend = claim(KSD_M03, true);

        Claim retried = claim(KSD_M03, true);

        assertThat(retried.adopted()).isTrue();
        assertThat(retried.transferId()).isEqualTo(resend.transferId());
    }

    @Test
    void aResendAskedUnderItsOwnTransferIdIsAdoptedWhileUnannouncedAndRefusedOnceAnnounced() {
        ledger().published(claim(KSD_M03, false).transferId());
        String asked = TransferIds.ofResendAction(UUID.randomUUID().toString());
        Claim resend = ledger().claimResend(KSD_M03, asked, SubmissionLedgerTest::announcement);

        Claim retried = ledger().claimResend(KSD_M03, asked, SubmissionLedgerTest::announcement);
        ledger().published(asked);

        assertThat(resend.transferId()).isEqualTo(asked);
        assertThat(retried.adopted()).isTrue();
        assertThat(retried.announcement()).isEqualTo(resend.announcement());
        assertThatThrownBy(() -> ledger().claimResend(KSD_M03, asked, SubmissionLedgerTest::announcement))
                .isInstanceOf(DuplicateExtractException.class)
                .hasMessageContaining("resend transferId " + asked)
                .hasMessageContaining("carried out already");
    }

    @Test
    void theLedgerListsEveryUnannouncedRecordWithTheEventItKeeps() {
        Claim unannounced = claim(KSD_M03, false);
        Claim announced = claim(new Submission("KY", "0101", "K1", SHA, "query", "dataset ky 2026K1"), false);
        ledger().published(announced.transferId());

        List<Unannounced> records = ledger().unannounced();

        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.transferId()).isEqualTo(unannounced.transferId());
            assertThat(r.fagsystem()).isEqualTo("KSD");
            assertThat(r.authority()).isEqualTo("0561");
            assertThat(r.period()).isEqualTo("M03");
            assertThat(r.source()).isEqualTo("submit");
            assertThat(r.origin()).isEqualTo("/exports/ksd.csv");
            assertThat(r.submittedAt()).isEqualTo(NOW);
            assertThat(r.age(Clock.fixed(NOW.plusSeconds(90), ZoneOffset.UTC))).hasSeconds(90);
            // every field of the event, the optional ones included, survives the record
            assertThat(r.announcement()).isEqualTo(unannounced.announcement());
        });
    }

    @Test
    void aRecordWithoutACompleteEventIsStillListedAndAdoptedWithTheEventMadeNow() throws Exception {
        String transferId = TransferIds.of("KSD", "0561", "M03", SHA);
        // an edited record, or one from before records kept their event
        Files.writeString(
                Files.createDirectories(staging.resolve("submissions")).resolve(transferId + ".properties"),
                "transfer-id=" + transferId + "\nfagsystem=KSD\nauthority=0561\nperiod=M03\nsha256=" + SHA
                        + "\nevent-id=x\nsubmitted-at=yesterday\n");

        assertThat(ledger().unannounced()).singleElement().satisfies(r -> {
            assertThat(r.transferId()).isEqualTo(transferId);
            assertThat(r.announcement()).isNull();
            assertThat(r.submittedAt()).isNull();
        });
        Claim claim = claim(KSD_M03, false);
        assertThat(claim.adopted()).isTrue();
        assertThat(claim.announcement().getTransferId()).isEqualTo(transferId);
    }

    @Test
    void theStagerLeavesTheEarlierCopyAloneWhenRefusingADuplicate() throws Exception {
        ExtractStager stager = new ExtractStager(FagsystemRegistry.standard(), staging, ledger());
        Path file =
                Files.writeString(Files.createDirectories(staging.resolve("in")).resolve("a.csv"), "rows\n");
        StagedExtract first = stager.stage(new ExtractRequest("KSD", "0561", "M03", file));
        ledger().published(first.ref().transferId());
        Files.writeString(first.file(), "rows\n"); // same bytes, new modification time
        long modified = Files.getLastModifiedTime(first.file()).toMillis();

        assertThatThrownBy(() -> stager.stage(new ExtractRequest("KSD", "0561", "M03", file)))
                .isInstanceOf(DuplicateExtractException.class);

        assertThat(Files.getLastModifiedTime(first.file()).toMillis()).isEqualTo(modified);
        try (var extracts = Files.list(staging.resolve("extracts"))) {
            assertThat(extracts)
                    .as("no partial copy left behind")
                    .containsExactly(first.file().getParent());
        }
    }

    static final String OTHER_SHA = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";
    static final Submission QUERY_M03 =
            new Submission("KSD", "0561", "2026M03", SHA, "query", "dataset ksd-sygedage 2026M03");

    @Test
    void aQueriedPeriodIsDeliveredOnceWhateverItsRowsAreByTheNextRun() {
        String first = claim(QUERY_M03, false).transferId();
        ledger().published(first);

        Submission changedRows =
                new Submission("KSD", "0561", "2026M03", OTHER_SHA, "query", "dataset ksd-sygedage 2026M03");
        assertThatThrownBy(() -> claim(changedRows, false))
                .isInstanceOfSatisfying(
                        DuplicateExtractException.class,
                        e -> assertThat(e.earlierTransferId()).isEqualTo(first))
                .hasMessageContaining("period 2026M03 of KSD 0561 was claimed by transferId " + first)
                .hasMessageContaining("resend to deliver the period again on purpose");

        String resend = claim(changedRows, true).transferId();
        assertThat(resend).isNotEqualTo(first).isEqualTo(TransferIds.of("KSD", "0561", "2026M03", OTHER_SHA, 1));
    }

    @Test
    void aPeriodClaimedByAnotherInstanceStillWritingItsRecordIsTriedAgainNotGivenUp() throws Exception {
        String other = TransferIds.of("KSD", "0561", "2026M03", OTHER_SHA);
        Files.writeString(
                Files.createDirectories(staging.resolve("periods")).resolve("KSD-0561-2026M03"),
                other + "\n" + NOW.minusSeconds(5) + "\n");

        // not a duplicate: were the other instance dead, a refusal would leave the period undelivered for good
        assertThatThrownBy(() -> claim(QUERY_M03, false))
                .isInstanceOfSatisfying(
                        PeriodClaimPendingException.class,
                        e -> assertThat(e.claimingTransferId()).isEqualTo(other))
                .hasMessageContaining("period 2026M03 of KSD 0561 is claimed by transferId " + other)
                .hasMessageContaining("nor recorded")
                .hasMessageContaining("takes the period over once the claim is 10 minutes old");
    }

    @Test
    void aPeriodWhoseExtractNeverTookItsNameWaitsThenIsTakenOverAndItsRecordRetired() {
        // killed between the submission record and the staged copy's rename; the rows have changed since
        Instant crashedAt = NOW.minus(PeriodClaims.ABANDONED).plusSeconds(60);
        String crashed = new SubmissionLedger(staging, Clock.fixed(crashedAt, ZoneOffset.UTC))
                .claim(QUERY_M03, false, SubmissionLedgerTest::announcement)
                .transferId();
        Submission changedRows =
                new Submission("KSD", "0561", "2026M03", OTHER_SHA, "query", "dataset ksd-sygedage 2026M03");

        assertThatThrownBy(() -> claim(changedRows, false))
                .isInstanceOf(PeriodClaimPendingException.class)
                .hasMessageContaining(
                        "is claimed by transferId " + crashed + ", whose extract is not staged (recorded at "
                                + crashedAt + ", its copy never took its name)");

        SubmissionLedger later = new SubmissionLedger(staging, Clock.fixed(NOW.plusSeconds(61), ZoneOffset.UTC));
        String transferId = later.claim(changedRows, false, SubmissionLedgerTest::announcement)
                .transferId();

        assertThat(transferId).isEqualTo(TransferIds.of("KSD", "0561", "2026M03", OTHER_SHA));
        assertThat(later.unannounced())
                .as("the crashed record, which nothing can announce, is retired")
                .extracting(Unannounced::transferId)
                .containsExactly(transferId);
    }

    @Test
    void aPeriodWhoseExtractIsStagedButNotYetAnnouncedIsItsToDeliver() throws Exception {
        // a Kafka outage between the record and the publish: the announcer publishes it
        Path copy = Files.writeString(staging.resolve("rows.csv"), "rows");
        String first = new SubmissionLedger(staging, Clock.fixed(NOW.minus(Duration.ofDays(1)), ZoneOffset.UTC))
                .claim(QUERY_M03, false, id -> {
                    ExtractReady event = announcement(id);
                    event.setStagedFile(copy.toUri().toString());
                    return event;
                })
                .transferId();
        Submission changedRows =
                new Submission("KSD", "0561", "2026M03", OTHER_SHA, "query", "dataset ksd-sygedage 2026M03");

        assertThatThrownBy(() -> claim(changedRows, false))
                .isInstanceOfSatisfying(
                        DuplicateExtractException.class,
                        e -> assertThat(e.earlierTransferId()).isEqualTo(first));
    }

    @Test
    void aPeriodClaimAbandonedBeforeItsRecordIsTakenOver() throws Exception {
        // a crash between the period claim and the submission record, long ago
        String crashed = TransferIds.of("KSD", "0561", "2026M03", OTHER_SHA);
        Path claim = Files.createDirectories(staging.resolve("periods")).resolve("KSD-0561-2026M03");
        Files.writeString(
                claim, crashed + "\n" + NOW.minus(PeriodClaims.ABANDONED).minusSeconds(1) + "\n");

        String transferId = claim(QUERY_M03, false).transferId();

        assertThat(transferId).isNotEqualTo(crashed);
        assertThat(Files.readAllLines(claim).get(0)).isEqualTo(transferId);
    }

    @Test
    void aReleasedQueryClaimFreesItsPeriod() {
        String first = claim(QUERY_M03, false).transferId();
        ledger().release(first);

        Submission changedRows = new Submission("KSD", "0561", "2026M03", OTHER_SHA, "query", "dataset ksd 2026M03");
        assertThat(claim(changedRows, false).transferId())
                .isEqualTo(TransferIds.of("KSD", "0561", "2026M03", OTHER_SHA));
    }

    @Test
    void submittedFilesOfOnePeriodAreNotHeldToOneDelivery() {
        ledger().published(claim(KSD_M03, false).transferId());

        Submission corrected = new Submission("KSD", "0561", "M03", OTHER_SHA, "submit", "/exports/ksd-corrected.csv");
        assertThat(claim(corrected, false).adopted()).isFalse();
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

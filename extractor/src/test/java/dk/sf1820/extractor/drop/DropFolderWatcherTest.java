package dk.sf1820.extractor.drop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.extractor.ExtractRequest;
import dk.sf1820.extractor.ExtractStager;
import dk.sf1820.extractor.SubmissionLedger;
import dk.sf1820.schemas.registry.ExtractSource;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.stage.PollSchedule;
import dk.sf1820.testsupport.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop folder's promises, with the real stager and submission record behind it; what the
 * extractor would publish is recorded instead (ExtractorIT covers the ExtractReady on the topic).
 */
class DropFolderWatcherTest {

    static final Duration QUIET = Duration.ofSeconds(30);

    @TempDir
    Path drop;

    @TempDir
    Path staging;

    final MutableClock clock = new MutableClock(Instant.parse("2026-04-01T08:00:00Z"));
    final List<ExtractRequest> submitted = Collections.synchronizedList(new ArrayList<>());
    final List<String> transferIds = Collections.synchronizedList(new ArrayList<>());

    SubmissionLedger ledger() {
        return new SubmissionLedger(staging, clock);
    }

    ExtractStager stager() {
        return new ExtractStager(FagsystemRegistry.standard(), staging, ledger());
    }

    /** A watcher whose intake stages each file and marks it published, as the submitter does once Kafka acks. */
    DropFolderWatcher watcher(String instance) {
        return watcher(instance, false, false);
    }

    /**
     * @param dieBeforeAnnouncing the process dies once the submission is recorded, before its ExtractReady is out
     * @param dieAfterAnnouncing the process dies once the ExtractReady is out, before the file is deleted
     */
    DropFolderWatcher watcher(String instance, boolean dieBeforeAnnouncing, boolean dieAfterAnnouncing) {
        ExtractStager stager = stager();
        return new DropFolderWatcher(drop, instance, QUIET, clock, request -> {
            String id = stager.stage(request, ExtractSource.DROP_FOLDER).ref().transferId();
            if (dieBeforeAnnouncing) {
                throw new ProcessDied();
            }
            ledger().published(id);
            submitted.add(request);
            transferIds.add(id);
            if (dieAfterAnnouncing) {
                throw new ProcessDied();
            }
            return id;
        });
    }

    /** Stands for kill -9: what the process did so far stays on disk, nothing after it happens. */
    static final class ProcessDied extends RuntimeException {}

    Path dropFile(String relative, String content) throws IOException {
        Path file = drop.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content);
    }

    @Test
    void aFileWithoutMarkerCountsOnlyAfterItStayedUnchangedForTheQuietPeriod() throws Exception {
        DropFolderWatcher watcher = watcher("a");
        Path file = dropFile("KSD/0561/M03/ksd.csv", "cpr;dage\n");

        watcher.poll();
        clock.advance(QUIET.minusSeconds(1));
        watcher.poll();
        assertThat(submitted).as("still within the quiet period").isEmpty();

        // The writer appends: the quiet period starts again
        Files.writeString(file, "cpr;dage\n0101010101;12\n");
        Files.setLastModifiedTime(file, FileTime.from(clock.instant()));
        clock.advance(Duration.ofSeconds(2));
        watcher.poll();
        clock.advance(QUIET.minusSeconds(1));
        watcher.poll();
        assertThat(submitted).as("changed, so quiet again from its change").isEmpty();

        clock.advance(Duration.ofSeconds(1));
        watcher.poll();
        assertThat(submitted).singleElement().satisfies(r -> {
            assertThat(r.fagsystem()).isEqualTo("KSD");
            assertThat(r.authority()).isEqualTo("0561");
            assertThat(r.period()).isEqualTo("M03");
            assertThat(r.file().getFileName().toString()).isEqualTo("ksd.csv");
        });
        assertThat(stagedContent()).containsExactly("cpr;dage\n0101010101;12\n");
        assertThat(file).doesNotExist();
        assertThat(drop.resolve("processing/a")).isEmptyDirectory();
    }

    @Test
    void aDoneMarkerMakesAFileCompleteAtOnce() throws Exception {
        DropFolderWatcher watcher = watcher("a");
        dropFile("KY/101/K1/ky.csv", "ydelse\n1\n");
        dropFile("KY/101/K1/ky.csv.done", "");

        watcher.poll();

        assertThat(submitted).extracting(ExtractRequest::period).containsExactly("K1");
        assertThat(drop.resolve("KY/101/K1")).isEmptyDirectory();
    }

    @Test
    void aDoneMarkerStartsARoundAtOnceEvenInAFolderMadeAfterTheWatchStarted() throws Exception {
        DropFolderWatcher watcher = watcher("a");
        // an hour between polls: only the watch can take the file within the test's patience
        PollSchedule schedule = new PollSchedule("test-drop", watcher::poll, Duration.ofHours(1), Duration.ZERO, 0);
        DoneMarkerWatch watch = new DoneMarkerWatch(drop, schedule::nudge);
        schedule.start();
        watch.start();
        try {
            dropFile("KSD/0561/M03/ksd.csv", "cpr;dage\n");
            dropFile("KSD/0561/M03/ksd.csv.done", "");
            await().atMost(Duration.ofSeconds(20)).until(() -> submitted.size() == 1);

            dropFile("KSD/0561/M04/ksd.csv", "cpr;dage\n0101010101;3\n");
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> submitted.size() == 1);
            dropFile("KSD/0561/M04/ksd.csv.done", "");
            await().atMost(Duration.ofSeconds(20)).until(() -> submitted.size() == 2);
        } finally {
            watch.stop();
            schedule.stop();
        }
        assertThat(submitted).extracting(ExtractRequest::period).containsExactly("M03", "M04");
        assertThat(watch.isRunning()).isFalse();
    }

    @Test
    void hiddenAndTemporaryFilesAreLeftAloneHoweverQuiet() throws Exception {
        DropFolderWatcher watcher = watcher("a");
        List<Path> inProgress = List.of(
                dropFile("KSD/0561/M03/.ksd.csv", "x"),
                dropFile("KSD/0561/M03/ksd.csv.part", "x"),
                dropFile("KSD/0561/M03/ksd.csv.tmp", "x"),
                dropFile("KSD/0561/M03/ksd.csv~", "x"),
                dropFile("KSD/0561/.hidden/ksd.csv", "x"));

        watcher.poll();
        clock.advance(QUIET.plusSeconds(1));
        watcher.poll();

        assertThat(submitted).isEmpty();
        assertThat(inProgress).allSatisfy(file -> assertThat(file).exists());
        assertThat(drop.resolve("refused")).isEmptyDirectory();
    }

    @Test
    void refusedFilesMoveToRefusedWithTheirReason() throws Exception {
        DropFolderWatcher watcher = watcher("a");
        dropFile("KSD/0561/M03/empty.csv", "");
        dropFile("KSD/0561/M03/empty.csv.done", "");
        dropFile("VALG/0561/M03/valg.csv", "x\n");
        dropFile("KSD/0999/M03/ksd.csv", "x\n");
        dropFile("KSD/0561/M13/ksd.csv", "x\n");
        dropFile("KSD/loose.csv", "x\n");

        watcher.poll();
        clock.advance(QUIET);
        watcher.poll();

        assertThat(submitted).isEmpty();
        assertThat(reason("KSD/0561/M03/empty.csv")).contains("is empty");
        assertThat(reason("VALG/0561/M03/valg.csv")).contains("VALG").contains("SF1820 specifies no extract");
        assertThat(reason("KSD/0999/M03/ksd.csv")).contains("authority '0999'");
        assertThat(reason("KSD/0561/M13/ksd.csv")).contains("period 'M13' is invalid");
        assertThat(reason("KSD/loose.csv")).contains("<FAGSYSTEM>/<authority>/<period>/<file>");
        assertThat(drop.resolve("refused/VALG/0561/M03/valg.csv")).hasContent("x\n");
        assertThat(drop.resolve("processing/a")).isEmptyDirectory();
    }

    /**
     * A name at the file system's limit (255 bytes) leaves no room for {@code .reason}: the file is still refused
     * with its reason, and the rounds go on taking the next drops (before, every round failed on it for good).
     */
    @Test
    void aRefusedFileWithANameAtTheFileSystemsLimitIsRefusedAndLaterDropsAreStillTaken() throws Exception {
        DropFolderWatcher watcher = watcher("a");
        String longName = "e".repeat(251) + ".csv";
        dropFile("KY/0561/M03/" + longName, "");

        watcher.poll();
        clock.advance(QUIET);
        watcher.poll();
        dropFile("KSD/0561/M03/after.csv", "cpr;dage\n0101010101;12\n");
        dropFile("KSD/0561/M03/after.csv.done", "");
        watcher.poll();

        assertThat(submitted).extracting(r -> r.file().getFileName().toString()).containsExactly("after.csv");
        try (Stream<Path> refused = Files.list(drop.resolve("refused/KY/0561/M03"))) {
            List<String> names =
                    refused.map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names)
                    .hasSize(2)
                    .allSatisfy(name -> assertThat(name.length()).isLessThanOrEqualTo(255));
            Path reason = drop.resolve("refused/KY/0561/M03").resolve(names.get(1));
            assertThat(reason.getFileName().toString()).endsWith(".reason");
            assertThat(Files.readString(reason)).contains("is empty").contains(longName);
        }
        assertThat(drop.resolve("processing/a")).isEmptyDirectory();
    }

    @Test
    void theSameExtractDroppedAgainIsRefusedAsADuplicateNamingTheFirst() throws Exception {
        DropFolderWatcher watcher = watcher("a");
        dropFile("FBS/0561/Y/fbs.csv", "laan\n1\n");
        dropFile("FBS/0561/Y/fbs.csv.done", "");
        watcher.poll();
        dropFile("FBS/0561/Y/fbs.csv", "laan\n1\n");
        dropFile("FBS/0561/Y/fbs.csv.done", "");

        watcher.poll();

        assertThat(transferIds).hasSize(1);
        assertThat(reason("FBS/0561/Y/fbs.csv"))
                .contains("was submitted before")
                .contains(transferIds.get(0));
    }

    @Test
    void eachFileIsTakenExactlyOnceByTwoWatchersOnTheSameFolder() throws Exception {
        for (int i = 0; i < 40; i++) {
            dropFile("KSD/0561/M03/part-" + i + ".csv", "row " + i + "\n");
            dropFile("KSD/0561/M03/part-" + i + ".csv.done", "");
        }
        DropFolderWatcher a = watcher("a");
        DropFolderWatcher b = watcher("b");
        CyclicBarrier together = new CyclicBarrier(2);

        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> pollTogether(a, together));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> pollTogether(b, together));
        CompletableFuture.allOf(first, second).join();

        assertThat(submitted).hasSize(40);
        assertThat(submitted).extracting(r -> r.file().getFileName().toString()).doesNotHaveDuplicates();
        assertThat(transferIds).doesNotHaveDuplicates();
        assertThat(stagedContent()).hasSize(40);
        assertThat(drop.resolve("refused")).isEmptyDirectory();
        assertThat(drop.resolve("KSD/0561/M03")).isEmptyDirectory();
    }

    @Test
    void whatACrashLeftInTheProcessingFolderIsSubmittedAfterTheRestart() throws Exception {
        // Given a file claimed by instance "a", which stopped before submitting it
        Path claimed =
                Files.createDirectories(drop.resolve("processing/a/KP/0561/H1")).resolve("kp.csv");
        Files.writeString(claimed, "pension\n1\n");
        // and a file it had seen but not yet waited out
        dropFile("KP/0561/H1/later.csv", "pension\n2\n");
        watcher("a").poll();
        assertThat(submitted).extracting(r -> r.file().getFileName().toString()).containsExactly("kp.csv");

        // When "a" restarts: its memory of the quiet period is gone, the file waits once more, then goes
        DropFolderWatcher restarted = watcher("a");
        clock.advance(QUIET);
        restarted.poll();
        assertThat(submitted).hasSize(1);
        clock.advance(QUIET);
        restarted.poll();

        assertThat(submitted).extracting(r -> r.file().getFileName().toString()).containsExactly("kp.csv", "later.csv");
        assertThat(drop.resolve("processing/a")).isEmptyDirectory();
    }

    @Test
    void aFileRecordedButNotAnnouncedBeforeACrashIsAnnouncedAfterTheRestartNotRefusedAsItsOwnDuplicate()
            throws Exception {
        // Given instance "a" recorded a dropped file's submission, then died before its ExtractReady was out (issue 10)
        dropFile("KSD/0561/M03/ksd.csv", "cpr;dage\n0101010101;12\n");
        dropFile("KSD/0561/M03/ksd.csv.done", "");
        watcher("a", true, false).poll();
        assertThat(transferIds).isEmpty();
        assertThat(drop.resolve("processing/a/KSD/0561/M03/ksd.csv")).exists();

        // When "a" restarts
        watcher("a").poll();

        // Then the file is announced, once, and nothing is refused
        assertThat(transferIds).hasSize(1);
        assertThat(stagedContent()).containsExactly("cpr;dage\n0101010101;12\n");
        assertThat(drop.resolve("refused")).isEmptyDirectory();
        assertThat(drop.resolve("processing/a")).isEmptyDirectory();
    }

    @Test
    void aFileAnnouncedJustBeforeACrashIsDoneAfterTheRestartNotRefusedNorSentAgain() throws Exception {
        // Given instance "a" announced a dropped file and died before deleting it from its processing folder
        dropFile("KP/0561/H1/kp.csv", "pension\n1\n");
        dropFile("KP/0561/H1/kp.csv.done", "");
        watcher("a", false, true).poll();
        assertThat(transferIds).hasSize(1);
        assertThat(drop.resolve("processing/a/KP/0561/H1/kp.csv")).exists();

        // When "a" restarts
        watcher("a").poll();

        // Then the file is done: not announced again, not refused
        assertThat(transferIds).hasSize(1);
        assertThat(drop.resolve("refused")).isEmptyDirectory();
        assertThat(drop.resolve("processing/a")).isEmptyDirectory();
    }

    @Test
    void anotherInstancesFilesInProgressAreNotItsToTake() throws Exception {
        Path claimedByB =
                Files.createDirectories(drop.resolve("processing/b/KP/0561/H1")).resolve("kp.csv");
        Files.writeString(claimedByB, "pension\n1\n");

        watcher("a").poll();
        clock.advance(QUIET);
        watcher("a").poll();

        assertThat(submitted).isEmpty();
        assertThat(claimedByB).exists();
    }

    private static void pollTogether(DropFolderWatcher watcher, CyclicBarrier together) {
        try {
            together.await();
            watcher.poll();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String reason(String relative) throws IOException {
        return Files.readString(drop.resolve("refused").resolve(relative + ".reason"));
    }

    private List<String> stagedContent() throws IOException {
        try (Stream<Path> files = Files.walk(staging.resolve("extracts"))) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .map(f -> {
                        try {
                            return Files.readString(f);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .toList();
        }
    }
}

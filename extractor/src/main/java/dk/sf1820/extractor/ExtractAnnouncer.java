package dk.sf1820.extractor;

import dk.sf1820.extractor.SubmissionLedger.Unannounced;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.events.FileDigest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the ExtractReady of every submission recorded but never announced: a process killed
 * between the record and the publish, a Kafka outage, an HTTP client that never retried. Runs at
 * start-up and then every interval; a record younger than the grace is left to the submission still
 * announcing it. A record is announced only while its staged file is in place with the recorded size
 * and SHA-256; otherwise it waits, and {@code ./sf1820 status} shows it, until the extract is submitted
 * again (which restores the copy and announces the same event).
 */
class ExtractAnnouncer {

    private static final Logger log = LoggerFactory.getLogger(ExtractAnnouncer.class);

    private final SubmissionLedger ledger;
    private final ExtractSubmitter submitter;
    private final Path extracts;
    private final Duration grace;
    private final Clock clock;
    /** Staged files found complete once (hashing a large extract every round would cost more than it tells). */
    private final Set<String> verified = ConcurrentHashMap.newKeySet();
    /** Records already reported as not announceable, so a round every few seconds does not repeat them. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    ExtractAnnouncer(
            SubmissionLedger ledger, ExtractSubmitter submitter, Path stagingDir, Duration grace, Clock clock) {
        this.ledger = ledger;
        this.submitter = submitter;
        this.extracts =
                stagingDir.resolve(ExtractStager.EXTRACTS).toAbsolutePath().normalize();
        this.grace = grace;
        this.clock = clock;
    }

    /** One round: announces each overdue record; stops at the first Kafka failure (the rest would fail alike). */
    void announceOverdue() {
        for (Unannounced record : ledger.unannounced()) {
            // A record whose time is unreadable has no submission in flight to wait for.
            if (record.submittedAt() != null && record.age(clock).compareTo(grace) < 0) {
                continue;
            }
            Optional<String> problem = problem(record);
            if (problem.isPresent()) {
                if (reported.add(record.transferId())) {
                    log.warn(
                            "extract recorded but cannot be announced transferId={} fagsystem={} authority={}"
                                    + " period={} origin=\"{}\" reason=\"{}\"",
                            record.transferId(),
                            record.fagsystem(),
                            record.authority(),
                            record.period(),
                            record.origin(),
                            problem.get());
                }
                continue;
            }
            log.info(
                    "extract recorded but not announced, announcing it now transferId={} age={}",
                    record.transferId(),
                    record.age(clock));
            try {
                submitter.announce(record.announcement());
            } catch (ExtractNotAnnouncedException e) {
                return;
            }
            verified.remove(record.transferId());
        }
    }

    /** Why the record's event cannot be published as it is, if it cannot. */
    private Optional<String> problem(Unannounced record) {
        ExtractReady announcement = record.announcement();
        if (announcement == null) {
            return Optional.of("the record keeps no complete ExtractReady (made by an earlier version, or edited);"
                    + " submit the extract again to announce it");
        }
        if (!record.transferId().equals(announcement.getTransferId())) {
            return Optional.of("the record's event names transferId " + announcement.getTransferId());
        }
        Path staged;
        try {
            staged = Path.of(URI.create(announcement.getStagedFile()))
                    .toAbsolutePath()
                    .normalize();
        } catch (RuntimeException e) {
            return Optional.of("its staged file '" + announcement.getStagedFile() + "' is no file URI");
        }
        if (!staged.startsWith(extracts.resolve(record.transferId()))) {
            return Optional.of("its staged file " + staged + " lies outside " + extracts.resolve(record.transferId()));
        }
        if (verified.contains(record.transferId())) {
            return Optional.empty();
        }
        try {
            if (!Files.isRegularFile(staged)) {
                return Optional.of("its staged file " + staged + " is missing (the process stopped before the copy"
                        + " took its name); submit the extract again");
            }
            if (Files.size(staged) != announcement.getSizeBytes()) {
                return Optional.of("its staged file " + staged + " has " + Files.size(staged) + " bytes, the record "
                        + announcement.getSizeBytes());
            }
            String sha256 = FileDigest.of(staged).sha256();
            if (!sha256.equals(announcement.getSha256())) {
                return Optional.of("its staged file " + staged + " has SHA-256 " + sha256 + ", the record "
                        + announcement.getSha256());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read staged file " + staged + ": " + e.getMessage(), e);
        }
        verified.add(record.transferId());
        return Optional.empty();
    }
}

package dk.sf1820.extractor;

import dk.sf1820.kafka.PrivateFiles;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.registry.ExtractSource;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The record of every extract this installation accepted, one file per transferId under
 * {@code <staging>/submissions/}: what lets a second submission of the same extract be recognised
 * (its transferId is derived from its content) by every extractor instance sharing the staging area,
 * across restarts.
 *
 * <p>A transferId is claimed by hard-linking a completely written record to its final name: link(2)
 * fails if the name exists, so of two instances claiming the same extract at once exactly one wins,
 * and a reader never sees a half-written record.
 *
 * <p>The ledger is also the extractor's outbox: a record carries the whole ExtractReady that
 * announces its extract (ids, time, staged file, size, hash; never content) and is marked published
 * once Kafka acknowledged that event. A record without {@code published-at} is a claim whose
 * announcement may have been lost (a crash or a Kafka outage between the record and the publish):
 * it is not a duplicate, and re-announcing its event (the same eventId) is always safe, because
 * every later stage is idempotent per transferId.
 */
public class SubmissionLedger {

    static final String SUBMISSIONS = "submissions";

    private static final Logger log = LoggerFactory.getLogger(SubmissionLedger.class);

    private final Path dir;
    private final Clock clock;
    private final PeriodClaims periods;
    /*
     * Published is final (only an unpublished record is ever released): remembering it spares the announcer
     * reading every record of the installation's history at each round.
     */
    private final Set<String> knownPublished = ConcurrentHashMap.newKeySet();

    public SubmissionLedger(Path stagingDir, Clock clock) {
        this.dir = stagingDir.resolve(SUBMISSIONS);
        this.clock = clock;
        this.periods = new PeriodClaims(stagingDir, clock);
    }

    /** What is being submitted, as the record keeps it. */
    public record Submission(
            String fagsystem, String authority, String period, String sha256, String source, String origin) {}

    /**
     * A claimed transferId and the ExtractReady that announces it.
     *
     * @param adopted whether the record existed already, unpublished (made before a crash or a Kafka outage, or
     *        by another instance still announcing it): its announcement is the earlier one, to be published again
     */
    public record Claim(String transferId, ExtractReady announcement, boolean adopted) {}

    /** A record whose ExtractReady is not confirmed published. */
    public record Unannounced(
            String transferId,
            String fagsystem,
            String authority,
            String period,
            String source,
            String origin,
            Instant submittedAt,
            ExtractReady announcement) {

        /** How long ago it was recorded; zero when the record's time is unreadable. */
        public Duration age(Clock clock) {
            return submittedAt == null ? Duration.ZERO : Duration.between(submittedAt, clock.instant());
        }
    }

    /**
     * Claims the transferId of a first delivery, or of the next resend, recording the event that will announce
     * it. An unpublished record of the same transferId is adopted (its earlier event is returned), not refused.
     *
     * @param announcementFor the ExtractReady of the extract under a candidate transferId
     * @throws DuplicateExtractException when a first delivery of this extract was announced before
     */
    public Claim claim(Submission submission, boolean resend, Function<String, ExtractReady> announcementFor) {
        createDirectory();
        if (!resend && ExtractSource.QUERY.value().equals(submission.source())) {
            claimPeriod(submission);
        }
        for (int n = resend ? 1 : 0; ; n++) {
            String transferId = transferId(submission, n);
            ExtractReady announcement = announcementFor.apply(transferId);
            Claim claim = claimOrAdopt(transferId, submission, Integer.toString(n), announcement);
            if (claim != null) {
                return claim;
            }
            if (!resend) {
                throw duplicate(transferId, submission);
            }
        }
    }

    /**
     * Claims a resend under the transferId its asker derived ({@link TransferIds#ofResendAction}), recording the
     * event that will announce it. An unpublished record of that transferId is adopted, as in {@link #claim}.
     *
     * @throws DuplicateExtractException when that transfer was announced before: the resend is carried out already
     */
    public Claim claimResend(Submission submission, String transferId, Function<String, ExtractReady> announcementFor) {
        createDirectory();
        Claim claim = claimOrAdopt(transferId, submission, "asked", announcementFor.apply(transferId));
        if (claim != null) {
            return claim;
        }
        Properties earlier = read(transferId);
        throw new DuplicateExtractException(
                transferId,
                earlier == null ? null : earlier.getProperty("origin"),
                "resend transferId " + transferId + " (" + submission.origin() + ") was announced before, at "
                        + (earlier == null ? null : earlier.getProperty("published-at"))
                        + "; it is carried out already");
    }

    /**
     * A query's rows for a period are delivered once, whatever they are by the time of a later run (or another
     * instance's run of the same schedule): the period is claimed for this content's first-delivery transferId.
     * A claim counts while its transfer delivers: announced, or recorded with its staged copy in place. One whose
     * copy never took its name (a process stopped between the claim and the copy's rename) is taken over once it
     * is abandoned, and its record, which can never be announced, is retired with it.
     *
     * @throws DuplicateExtractException when another transfer claimed the period first and delivers it
     * @throws PeriodClaimPendingException when another transfer claimed it but has not staged its extract (yet)
     */
    private void claimPeriod(Submission submission) {
        String transferId = transferId(submission, 0);
        String owner = periods.claim(
                submission.fagsystem(),
                submission.authority(),
                submission.period(),
                transferId,
                this::delivering,
                this::retireAbandoned);
        if (owner.equals(transferId)) {
            return;
        }
        String period =
                "period " + submission.period() + " of " + submission.fagsystem() + " " + submission.authority();
        Properties earlier = read(owner);
        if (earlier == null || !delivering(owner)) {
            throw new PeriodClaimPendingException(
                    owner,
                    period + " is claimed by transferId " + owner + ", whose extract is not staged"
                            + (earlier == null
                                    ? " nor recorded"
                                    : " (recorded at " + earlier.getProperty("submitted-at")
                                            + ", its copy never took its name)")
                            + ": another instance may be staging it, or a process stopped while it did; "
                            + submission.origin() + " is tried again later, and takes the period over once the claim"
                            + " is " + PeriodClaims.ABANDONED.toMinutes() + " minutes old");
        }
        throw new DuplicateExtractException(
                owner,
                earlier.getProperty("origin"),
                period + " was claimed by transferId " + owner + " (extracted at " + earlier.getProperty("submitted-at")
                        + " from " + earlier.getProperty("origin") + "); " + submission.origin()
                        + " now gives other rows (sha256 " + submission.sha256()
                        + "), which are not delivered as a second extract of the period: resend to "
                        + "deliver the period again on purpose");
    }

    /** Whether the transfer delivers its extract: announced, or recorded with its staged copy in place. */
    private boolean delivering(String transferId) {
        Properties record = read(transferId);
        if (record == null) {
            return false;
        }
        if (record.getProperty("published-at") != null) {
            return true;
        }
        String staged = record.getProperty("staged-file");
        try {
            return staged != null && Files.isRegularFile(Path.of(URI.create(staged)));
        } catch (RuntimeException e) {
            // a record edited by hand: left for an operator rather than taken over
            return true;
        }
    }

    /** Deletes the record of a period claim taken over, unless it was announced after all. */
    private void retireAbandoned(String transferId) {
        Properties record = read(transferId);
        if (record != null && record.getProperty("published-at") == null) {
            log.warn(
                    "submission record retired with its abandoned period claim transferId={} submittedAt={} "
                            + "stagedFile={}",
                    transferId,
                    record.getProperty("submitted-at"),
                    record.getProperty("staged-file"));
            deleteQuietly(recordOf(transferId));
        }
    }

    /** The claim, the adopted unpublished record, or null when the transferId was announced before. */
    private Claim claimOrAdopt(String transferId, Submission submission, String resend, ExtractReady announcement) {
        while (true) {
            if (tryClaim(transferId, submission, resend, announcement)) {
                return new Claim(transferId, announcement, false);
            }
            Properties earlier = read(transferId);
            if (earlier == null) {
                continue; // released between our attempt and the read: try again
            }
            if (earlier.getProperty("published-at") != null) {
                return null;
            }
            ExtractReady recorded = announcement(earlier);
            // A record from before the outbox kept no event: the one made now announces the same staged extract.
            return new Claim(transferId, recorded != null ? recorded : announcement, true);
        }
    }

    /** Whether the transferId's ExtractReady is confirmed published. */
    public boolean isPublished(String transferId) {
        if (knownPublished.contains(transferId)) {
            return true;
        }
        Properties record = read(transferId);
        if (record != null && record.getProperty("published-at") != null) {
            knownPublished.add(transferId);
            return true;
        }
        return false;
    }

    /** Every record whose ExtractReady is not confirmed published, oldest first. */
    public List<Unannounced> unannounced() {
        List<Unannounced> unannounced = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return unannounced;
        }
        try (Stream<Path> records = Files.list(dir)) {
            for (Path file : (Iterable<Path>) records::iterator) {
                String name = file.getFileName().toString();
                if (name.startsWith(".") || !name.endsWith(".properties")) {
                    continue; // a temporary record being written
                }
                String transferId = name.substring(0, name.length() - ".properties".length());
                if (knownPublished.contains(transferId)) {
                    continue;
                }
                Properties record = read(transferId);
                if (record == null) {
                    continue;
                }
                if (record.getProperty("published-at") != null) {
                    knownPublished.add(transferId);
                    continue;
                }
                unannounced.add(new Unannounced(
                        transferId,
                        record.getProperty("fagsystem"),
                        record.getProperty("authority"),
                        record.getProperty("period"),
                        record.getProperty("source"),
                        record.getProperty("origin"),
                        instant(record.getProperty("submitted-at")),
                        announcement(record)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list submission records in " + dir + ": " + e.getMessage(), e);
        }
        unannounced.sort((a, b) -> String.valueOf(a.submittedAt()).compareTo(String.valueOf(b.submittedAt())));
        return unannounced;
    }

    /** Marks a claim as announced: its ExtractReady is on the topic. */
    public void published(String transferId) {
        Properties record = read(transferId);
        if (record == null) {
            throw new IllegalStateException(
                    "submission record " + recordOf(transferId) + " is gone; it cannot be " + "marked published");
        }
        record.setProperty("published-at", clock.instant().toString());
        Path temp = write(record);
        try {
            Files.move(temp, recordOf(transferId), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            knownPublished.add(transferId);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException(
                    "cannot mark submission record " + recordOf(transferId) + " published: " + e.getMessage(), e);
        }
    }

    /** Gives up a claim whose extract could not be staged, so that the extract can be submitted again. */
    public void release(String transferId) {
        Properties record = read(transferId);
        if (record != null && ExtractSource.QUERY.value().equals(record.getProperty("source"))) {
            periods.release(
                    record.getProperty("fagsystem"),
                    record.getProperty("authority"),
                    record.getProperty("period"),
                    transferId);
        }
        deleteQuietly(recordOf(transferId));
    }

    private static String transferId(Submission s, int resend) {
        return TransferIds.of(s.fagsystem(), s.authority(), s.period(), s.sha256(), resend);
    }

    private boolean tryClaim(String transferId, Submission s, String resend, ExtractReady announcement) {
        Properties record = new Properties();
        record.setProperty("transfer-id", transferId);
        record.setProperty("fagsystem", s.fagsystem());
        record.setProperty("authority", s.authority());
        record.setProperty("period", s.period());
        record.setProperty("sha256", s.sha256());
        record.setProperty("resend", resend);
        record.setProperty("source", s.source());
        record.setProperty("origin", s.origin());
        record.setProperty("submitted-at", clock.instant().toString());
        record.setProperty("event-id", announcement.getEventId());
        record.setProperty("occurred-at", announcement.getOccurredAt().toString());
        record.setProperty("staged-file", announcement.getStagedFile());
        record.setProperty("original-file-name", announcement.getOriginalFileName());
        record.setProperty("size-bytes", Long.toString(announcement.getSizeBytes()));
        if (announcement.getRowCount() != null) {
            record.setProperty("row-count", announcement.getRowCount().toString());
        }
        if (announcement.getDataset() != null) {
            record.setProperty("dataset", announcement.getDataset());
        }
        if (announcement.getEncoding() != null) {
            record.setProperty("encoding", announcement.getEncoding());
        }
        Path temp = write(record);
        try {
            Files.createLink(recordOf(transferId), temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create submission record " + recordOf(transferId) + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * The ExtractReady a record keeps, or null for a record made before records kept their event or one that
     * does not hold a complete event (the record is a file anyone with access to the staging area may edit).
     */
    private static ExtractReady announcement(Properties record) {
        if (record.getProperty("event-id") == null) {
            return null;
        }
        try {
            return recordedEvent(record);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static ExtractReady recordedEvent(Properties record) {
        String rowCount = record.getProperty("row-count");
        return ExtractReady.newBuilder()
                .setEventId(record.getProperty("event-id"))
                .setTransferId(record.getProperty("transfer-id"))
                .setFagsystem(record.getProperty("fagsystem"))
                .setAuthority(record.getProperty("authority"))
                .setPeriod(record.getProperty("period"))
                .setOccurredAt(Instant.parse(record.getProperty("occurred-at")))
                .setStagedFile(record.getProperty("staged-file"))
                .setOriginalFileName(record.getProperty("original-file-name"))
                .setSizeBytes(Long.parseLong(record.getProperty("size-bytes")))
                .setSha256(record.getProperty("sha256"))
                .setRowCount(rowCount == null ? null : Long.valueOf(rowCount))
                .setDataset(record.getProperty("dataset"))
                .setSource(record.getProperty("source"))
                .setEncoding(record.getProperty("encoding"))
                .build();
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (RuntimeException e) {
            return null; // the record is still listed, its age unknown
        }
    }

    private DuplicateExtractException duplicate(String transferId, Submission s) {
        Properties earlier = read(transferId);
        if (earlier == null) {
            earlier = new Properties();
        }
        return new DuplicateExtractException(
                transferId,
                earlier.getProperty("origin"),
                "extract " + s.origin() + " ("
                        + s.fagsystem() + " "
                        + s.authority() + " " + s.period() + ", sha256 " + s.sha256() + ") was submitted before, at "
                        + earlier.getProperty("submitted-at") + " by " + earlier.getProperty("source") + " from "
                        + earlier.getProperty("origin") + " as transferId " + transferId
                        + "; it is not delivered twice: resend it to deliver it again on purpose");
    }

    /** The record, or null when there is none (never made, or released). */
    private Properties read(String transferId) {
        Properties record = new Properties();
        try (Reader in = Files.newBufferedReader(recordOf(transferId), StandardCharsets.UTF_8)) {
            record.load(in);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot read submission record " + recordOf(transferId) + ": " + e.getMessage(), e);
        }
        return record;
    }

    private Path write(Properties record) {
        try {
            Path temp = Files.createTempFile(dir, ".record-", ".tmp");
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                record.store(out, "sf1820 extract submission");
            }
            return temp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a submission record in " + dir + ": " + e.getMessage(), e);
        }
    }

    private Path recordOf(String transferId) {
        return dir.resolve(transferId + ".properties");
    }

    private void createDirectory() {
        try {
            PrivateFiles.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create submission records directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover temporary record is hidden and never read as a claim.
        }
    }
}

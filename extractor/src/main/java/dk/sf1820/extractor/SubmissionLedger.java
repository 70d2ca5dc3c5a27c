package dk.sf1820.extractor;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.Properties;

/**
 * The record of every extract this installation accepted, one file per transferId under
 * {@code <staging>/submissions/}: what lets a second submission of the same extract be recognised
 * (its transferId is derived from its content) by every extractor instance sharing the staging area,
 * across restarts.
 *
 * <p>A transferId is claimed by hard-linking a completely written record to its final name: link(2)
 * fails if the name exists, so of two instances claiming the same extract at once exactly one wins,
 * and a reader never sees a half-written record. The record is marked published once the
 * ExtractReady is acknowledged; a claim whose event could not be published is released again.
 */
public class SubmissionLedger {

    static final String SUBMISSIONS = "submissions";

    private final Path dir;
    private final Clock clock;

    public SubmissionLedger(Path stagingDir, Clock clock) {
        this.dir = stagingDir.resolve(SUBMISSIONS);
        this.clock = clock;
    }

    /** What is being submitted, as the record keeps it. */
    public record Submission(String fagsystem, String authority, String period, String sha256, String source,
            String origin) {
    }

    /**
     * Claims the transferId of a first delivery, or of the next resend.
     *
     * @return the claimed transferId
     * @throws DuplicateExtractException when a first delivery of this extract was claimed before
     */
    public String claim(Submission submission, boolean resend) {
        createDirectory();
        if (!resend) {
            String transferId = transferId(submission, 0);
            if (!tryClaim(transferId, submission, 0)) {
                throw duplicate(transferId, submission);
            }
            return transferId;
        }
        for (int n = 1;; n++) {
            String transferId = transferId(submission, n);
            if (tryClaim(transferId, submission, n)) {
                return transferId;
            }
        }
    }

    /** Marks a claim as announced: its ExtractReady is on the topic. */
    public void published(String transferId) {
        Properties record = read(transferId);
        record.setProperty("published-at", clock.instant().toString());
        Path temp = write(record);
        try {
            Files.move(temp, recordOf(transferId), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            deleteQuietly(temp);
            throw new UncheckedIOException("cannot mark submission record " + recordOf(transferId) + " published: "
                    + e.getMessage(), e);
        }
    }

    /** Gives up a claim whose ExtractReady could not be published, so that the extract can be submitted again. */
    public void release(String transferId) {
        deleteQuietly(recordOf(transferId));
    }

    private static String transferId(Submission s, int resend) {
        return TransferIds.of(s.fagsystem(), s.authority(), s.period(), s.sha256(), resend);
    }

    private boolean tryClaim(String transferId, Submission s, int resend) {
        Properties record = new Properties();
        record.setProperty("transfer-id", transferId);
        record.setProperty("fagsystem", s.fagsystem());
        record.setProperty("authority", s.authority());
        record.setProperty("period", s.period());
        record.setProperty("sha256", s.sha256());
        record.setProperty("resend", Integer.toString(resend));
        record.setProperty("source", s.source());
        record.setProperty("origin", s.origin());
        record.setProperty("submitted-at", clock.instant().toString());
        Path temp = write(record);
        try {
            Files.createLink(recordOf(transferId), temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create submission record " + recordOf(transferId) + ": "
                    + e.getMessage(), e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private DuplicateExtractException duplicate(String transferId, Submission s) {
        Properties earlier = read(transferId);
        String published = earlier.getProperty("published-at");
        return new DuplicateExtractException(transferId, "extract " + s.origin() + " (" + s.fagsystem() + " "
                + s.authority() + " " + s.period() + ", sha256 " + s.sha256() + ") was submitted before, at "
                + earlier.getProperty("submitted-at") + " by " + earlier.getProperty("source") + " from "
                + earlier.getProperty("origin") + " as transferId " + transferId
                + (published == null ? " (its ExtractReady is not confirmed published yet)" : "")
                + "; it is not delivered twice: resend it to deliver it again on purpose");
    }

    private Properties read(String transferId) {
        Properties record = new Properties();
        try (Reader in = Files.newBufferedReader(recordOf(transferId), StandardCharsets.UTF_8)) {
            record.load(in);
        } catch (NoSuchFileException e) {
            // Released between our failed claim and this read: report what is known.
            record.setProperty("transfer-id", transferId);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read submission record " + recordOf(transferId) + ": "
                    + e.getMessage(), e);
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
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create submission records directory " + dir + ": "
                    + e.getMessage(), e);
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

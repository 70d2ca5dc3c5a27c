package dk.sf1820.extractor;

import dk.sf1820.kafka.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which transfer delivers a queried period: one file per fagsystem, authority and period under
 * {@code <staging>/periods/}, holding the transferId that claimed it. A database query for a period
 * gives other rows when the data changed between two runs, so its content (and its content-derived
 * transferId) cannot tell two runs of one period apart; the period can. Two extractor instances sharing
 * the staging area that run the same schedule at once both query, and the first to claim the period
 * delivers it; the other's extract is refused as a duplicate. Delivering a period again is a resend.
 *
 * <p>A claim is a completely written file hard-linked to its final name: link(2) fails if the name
 * exists, so exactly one of two instances wins, as for the submission records. A claim holds its
 * transferId and when it was made. It is made just before the submission record of its transferId, which
 * comes just before the staged copy's rename; a claim whose transfer never got that far (a crash in between)
 * is taken over once it is older than {@link #ABANDONED}.
 */
final class PeriodClaims {

    static final String PERIODS = "periods";
    /** Far longer than the moment between a claim and its submission record. */
    static final Duration ABANDONED = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(PeriodClaims.class);

    private final Path dir;
    private final Clock clock;

    PeriodClaims(Path stagingDir, Clock clock) {
        this.dir = stagingDir.resolve(PERIODS);
        this.clock = clock;
    }

    /**
     * Claims the period for a transfer.
     *
     * @param delivering whether a transferId delivers its extract; a claim whose transfer does not is taken over
     *     once it is abandoned
     * @param abandoned told the transferId of a claim taken over (after the claim has moved aside)
     * @return the transferId that holds the period: {@code transferId}, or the earlier claim's
     */
    String claim(
            String fagsystem,
            String authority,
            String period,
            String transferId,
            Predicate<String> delivering,
            Consumer<String> abandoned) {
        Path claim = claimOf(fagsystem, authority, period);
        createDirectory();
        while (true) {
            if (tryClaim(claim, transferId)) {
                return transferId;
            }
            String owner = owner(claim);
            if (owner == null) {
                continue; // released or taken over between our attempt and the read
            }
            if (owner.equals(transferId) || delivering.test(owner) || !abandoned(claim)) {
                return owner;
            }
            // Moved aside, not deleted: of two instances taking it over, only one's rename succeeds.
            try {
                Files.move(
                        claim,
                        dir.resolve("." + claim.getFileName() + "-abandoned-" + owner),
                        StandardCopyOption.ATOMIC_MOVE);
                log.warn(
                        "abandoned period claim taken over fagsystem={} authority={} period={} abandonedTransferId={} "
                                + "transferId={}",
                        fagsystem,
                        authority,
                        period,
                        owner,
                        transferId);
                abandoned.accept(owner);
            } catch (NoSuchFileException e) {
                // another instance took it over first
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "cannot move abandoned period claim " + claim + " aside: " + e.getMessage(), e);
            }
        }
    }

    /** Gives up a transfer's claim of its period (its extract could not be staged); another's claim stays. */
    void release(String fagsystem, String authority, String period, String transferId) {
        Path claim = claimOf(fagsystem, authority, period);
        if (transferId.equals(owner(claim))) {
            try {
                Files.deleteIfExists(claim);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release period claim " + claim + ": " + e.getMessage(), e);
            }
        }
    }

    private boolean tryClaim(Path claim, String transferId) {
        Path temp;
        try {
            temp = Files.createTempFile(dir, ".claim-", ".tmp");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a period claim in " + dir + ": " + e.getMessage(), e);
        }
        try {
            Files.writeString(temp, transferId + "\n" + clock.instant() + "\n", StandardCharsets.UTF_8);
            Files.createLink(claim, temp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create period claim " + claim + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // a hidden leftover is never read as a claim
            }
        }
    }

    /** The claim's transferId (its first line), or null when there is no claim. */
    private String owner(Path claim) {
        List<String> lines = lines(claim);
        return lines == null ? null : lines.isEmpty() ? "" : lines.get(0).strip();
    }

    /** Whether the claim was made longer than {@link #ABANDONED} ago, by the time on its second line. */
    private boolean abandoned(Path claim) {
        List<String> lines = lines(claim);
        if (lines == null || lines.size() < 2) {
            return false; // gone, or not written by us: left for an operator
        }
        try {
            return Instant.parse(lines.get(1).strip()).plus(ABANDONED).isBefore(clock.instant());
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static List<String> lines(Path claim) {
        try {
            return Files.readAllLines(claim, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read period claim " + claim + ": " + e.getMessage(), e);
        }
    }

    private Path claimOf(String fagsystem, String authority, String period) {
        // validated by the stager: registry codes, four digits, a period; none contains a path separator
        return dir.resolve(fagsystem + "-" + authority + "-" + period);
    }

    private void createDirectory() {
        try {
            PrivateFiles.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create period claims directory " + dir + ": " + e.getMessage(), e);
        }
    }
}

package dk.sf1820.packager;

import dk.sf1820.kafka.NonRetryableEventException;
import dk.sf1820.kafka.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives each transfer a data file name no other transfer has, in the staging area every packager
 * instance shares: {@code <staging>/names/<file name>} holds the transferId that owns the name.
 * <p>
 * SF1820's names vary only by a timestamp to the second, so extracts of one period that arrive
 * together would share a name, and the platform would take one's trigger for the other's. A claim
 * appears atomically, complete ({@code link(2)} of a fully written file fails if the name exists), so
 * of two packagers racing for a name exactly one wins, and a name is never given out twice, also not
 * after a restart. A transfer that already holds a claim gets the same name again (a redelivered
 * ExtractReady re-packs to the same name); a name held by another transfer is tried one second later.
 */
class DataFileNameClaims {

    static final String NAMES = "names";
    /** An hour of seconds: more extracts of one sender, authority and period in one burst than anyone sends. */
    static final int MAX_ATTEMPTS = 3600;

    private static final Logger log = LoggerFactory.getLogger(DataFileNameClaims.class);

    private final Path stagingDir;

    DataFileNameClaims(Path stagingDir) {
        this.stagingDir = stagingDir;
    }

    /**
     * The name this transfer owns: the first of {@code naming(createdAt)}, {@code naming(createdAt + 1 s)}, …
     * that is free or already this transfer's.
     *
     * @throws NonRetryableEventException when {@link #MAX_ATTEMPTS} names in a row belong to other transfers
     * @throws UncheckedIOException when the staging area cannot be written (retried)
     */
    String claim(String transferId, LocalDateTime createdAt, Function<LocalDateTime, String> naming) {
        Path names = stagingDir.resolve(NAMES);
        try {
            PrivateFiles.createDirectories(names);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + names + " for transferId=" + transferId, e);
        }
        String first = null;
        for (int second = 0; second < MAX_ATTEMPTS; second++) {
            String name = naming.apply(createdAt.plusSeconds(second));
            if (first == null) {
                first = name;
            }
            String owner = ownerOrClaim(names, name, transferId);
            if (owner.equals(transferId)) {
                if (second > 0) {
                    log.info(
                            "data file name of a later second transferId={} fileName={} firstChoice={}",
                            transferId,
                            name,
                            first);
                }
                return name;
            }
            log.debug(
                    "data file name held by another transfer transferId={} fileName={} owner={}",
                    transferId,
                    name,
                    owner);
        }
        throw new NonRetryableEventException("ExtractReady transferId=" + transferId + " cannot be packaged: the "
                + MAX_ATTEMPTS + " data file names from " + first + " on are all claimed by other transfers in "
                + names);
    }

    /**
     * The name this transfer already holds, without claiming one: its staged extract is gone, so only a
     * transfer packaged before may go on. Claims are never deleted, so every name before the transfer's
     * own is still another's, and the first free name means the transfer never claimed one.
     */
    Optional<String> heldBy(String transferId, LocalDateTime createdAt, Function<LocalDateTime, String> naming) {
        Path names = stagingDir.resolve(NAMES);
        for (int second = 0; second < MAX_ATTEMPTS; second++) {
            String name = naming.apply(createdAt.plusSeconds(second));
            String owner = owner(names.resolve(name));
            if (owner == null) {
                return Optional.empty();
            }
            if (owner.equals(transferId)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** The transferId holding the name: the one already there, or this one after it claimed the name. */
    private static String ownerOrClaim(Path names, String name, String transferId) {
        Path claim = names.resolve(name);
        String owner = owner(claim);
        if (owner != null) {
            return owner;
        }
        Path written = null;
        try {
            written = Files.createTempFile(names, ".claim-", ".tmp");
            Files.writeString(written, transferId, StandardCharsets.US_ASCII);
            Files.createLink(claim, written);
            return transferId;
        } catch (FileAlreadyExistsException e) {
            // Another packager claimed it a moment ago: what it wrote is complete, since it was linked whole.
            String winner = owner(claim);
            if (winner == null) {
                throw new UncheckedIOException(new IOException("claim " + claim + " vanished while read"));
            }
            return winner;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot claim data file name " + claim + " for transferId=" + transferId + ": " + e.getMessage(),
                    e);
        } finally {
            if (written != null) {
                try {
                    Files.deleteIfExists(written);
                } catch (IOException e) {
                    log.warn("cannot delete temporary claim file={} reason=\"{}\"", written, e.getMessage());
                }
            }
        }
    }

    private static String owner(Path claim) {
        try {
            if (!Files.isRegularFile(claim, LinkOption.NOFOLLOW_LINKS)) {
                // Not a claim we wrote (a directory, a link): the name is not free, whoever put it there.
                return Files.exists(claim, LinkOption.NOFOLLOW_LINKS) ? "(not a claim file)" : null;
            }
            return Files.readString(claim, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read data file name claim " + claim + ": " + e.getMessage(), e);
        }
    }
}

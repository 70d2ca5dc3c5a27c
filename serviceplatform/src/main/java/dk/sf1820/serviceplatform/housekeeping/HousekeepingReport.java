package dk.sf1820.serviceplatform.housekeeping;

import java.time.Instant;
import java.util.List;

/**
 * What one housekeeping run did.
 *
 * @param ranAt when it ran (the emulator's clock)
 * @param warnings files whose owners were told they will be deleted
 * @param deletions files deleted because they were left unmodified for the retention time
 */
public record HousekeepingReport(Instant ranAt, List<FileNotice> warnings, List<FileNotice> deletions) {

    public HousekeepingReport {
        warnings = List.copyOf(warnings);
        deletions = List.copyOf(deletions);
    }

    /**
     * One file housekeeping acted on.
     *
     * @param user owner of the home the file lies in
     * @param path path inside the home, e.g. {@code OUT/x.zip}
     * @param lastModified when the file was last modified
     * @param deleteAt when the platform deletes (or deleted) it
     */
    public record FileNotice(String user, String path, Instant lastModified, Instant deleteAt) {}
}

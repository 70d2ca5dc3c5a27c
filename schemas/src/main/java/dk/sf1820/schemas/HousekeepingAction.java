package dk.sf1820.schemas;

import java.util.Optional;

/**
 * What the receipt tracker did or reported in a sender's folders (SF1820 section 4), as
 * {@code HousekeepingPerformed.action} names it on {@code sf1820.housekeeping}.
 */
public enum HousekeepingAction {
    /** After a failure receipt the platform leaves the data file in OUT; the sender deleted it. */
    FAILED_DATA_FILE_DELETED(true),
    /** A data file lay in OUT without a trigger for longer than {@code orphan-age}; deleted. */
    ORPHAN_DELETED(true),
    /** A file of ours has lain on the platform {@code deadline-warning-after}; the platform deletes it soon. */
    DEADLINE_NEAR(false);

    private final boolean deletesFile;

    HousekeepingAction(boolean deletesFile) {
        this.deletesFile = deletesFile;
    }

    /** Whether the file named by the event is gone from the platform afterwards. */
    public boolean deletesFile() {
        return deletesFile;
    }

    /** The action an event names; empty for a name this version does not know (a newer producer's). */
    public static Optional<HousekeepingAction> of(String action) {
        for (HousekeepingAction known : values()) {
            if (known.name().equals(action)) {
                return Optional.of(known);
            }
        }
        return Optional.empty();
    }
}

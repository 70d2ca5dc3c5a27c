package dk.sf1820.schemas;

import java.util.Optional;

/**
 * What was cleaned up or reported, as {@code HousekeepingPerformed.action} names it on
 * {@code sf1820.housekeeping}: the receipt tracker's work in a sender's folders (SF1820 section 4) and the
 * packager's deletions of personal data from the staging area.
 */
public enum HousekeepingAction {
    /** After a failure receipt the platform leaves the data file in OUT; the sender deleted it. */
    FAILED_DATA_FILE_DELETED(PipelineStage.RECEIPT_TRACKER, true),
    /** A data file lay in OUT without a trigger for longer than {@code orphan-age}; deleted. */
    ORPHAN_DELETED(PipelineStage.RECEIPT_TRACKER, true),
    /** A file of ours has lain on the platform {@code deadline-warning-after}; the platform deletes it soon. */
    DEADLINE_NEAR(PipelineStage.RECEIPT_TRACKER, false),
    /** A staged extract left the staging area: packaged and announced, purged, or past its retention. */
    EXTRACT_DELETED(PipelineStage.PACKAGER, false),
    /** A package left the staging area: delivered, purged, or past its retention. */
    PACKAGE_DELETED(PipelineStage.PACKAGER, false);

    private final PipelineStage performer;
    private final boolean deletesFile;

    HousekeepingAction(PipelineStage performer, boolean deletesFile) {
        this.performer = performer;
        this.deletesFile = deletesFile;
    }

    /** The stage that does it and publishes the event. */
    public PipelineStage performer() {
        return performer;
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

package dk.sf1820.transporter;

import dk.sf1820.schemas.avro.PackageReady;

/**
 * Hooks around each step of a transfer, in before/after pairs. Every method is a no-op by default.
 * This is where progress records, metrics and crash tests attach: an exception thrown from a hook
 * aborts the transfer at exactly that point, as a crash would, and the event is retried.
 */
public interface TransferObserver {

    /** The data file is about to be streamed to {@code files.data()}. */
    default void uploading(PackageReady event, RemoteFiles files) {}

    /** The data file is on the server and its size is verified. */
    default void uploaded(PackageReady event, RemoteFiles files, long bytes) {}

    /** The trigger is about to be written under its temporary name and renamed. */
    default void triggering(PackageReady event, RemoteFiles files) {}

    /** The trigger lies under its final name; the platform may pick the transfer up from now on. */
    default void triggered(PackageReady event, RemoteFiles files) {}

    /**
     * The outcome is acknowledged on the transfer topic; the offset of the {@code PackageReady} is
     * committed after this returns.
     */
    default void published(PackageReady event, TransferOutcome outcome) {}

    /** A redelivered event found the transfer already triggered; nothing was written. */
    default void alreadyTriggered(PackageReady event, RemoteFiles files, String evidence) {}
}

package dk.sf1820.receipts;

import dk.sf1820.receipts.housekeeping.SenderFolderSweep;
import dk.sf1820.receipts.poll.ReceiptPoller;
import dk.sf1820.schemas.sftp.PlatformFolders;
import dk.sf1820.schemas.sftp.PlatformRetention;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the receipt tracker ({@code sf1820.receipt-tracker.*}).
 *
 * @param pollInterval pause between two polls of the senders' IN folders; {@code 0} polls only on
 *        demand ({@link ReceiptPoller#pollOnce()}, for tests and the demo)
 * @param timeout how long after the upload a transfer may go without a receipt before it ends as
 *        {@code DeliveryTimedOut}; the default is three of the platform's 10-minute scans
 * @param punctuateInterval how often timeouts are checked; a timeout is raised at most this late
 * @param forgetAfter how long a settled transfer is remembered so duplicates and late receipts are
 *        recognised; longer than the platform keeps any file (30 days)
 * @param senders SFTP users whose IN is polled; empty means the SFTP user of every fagsystem with
 *        an extract that has an account in {@code sf1820.sftp.accounts}. Give each instance its own
 *        senders to scale out across fagsystems.
 * @param applicationId Kafka Streams application id: names the consumer group, the state
 *        directory and the internal topics, so changing it starts from an empty state
 * @param housekeepingInterval pause between two sweeps of the senders' folders (orphans, files near
 *        the platform's 30-day deletion); {@code 0} sweeps only on demand ({@link SenderFolderSweep#sweepOnce()})
 * @param orphanAge a data file in OUT without a trigger is deleted once it is this old: long enough
 *        that a transporter between its data file and its trigger (or retrying through a short outage)
 *        is never cut off
 * @param deadlineWarningAfter a file of ours on the platform this old is reported; the platform
 *        deletes files left unmodified for 30 days and warns the owner 10 days before, so 20 days
 * @param archiveDir where handled receipts are kept locally ({@code <archive-dir>/<sender>/<name>})
 *        before they are deleted from IN; unset: no local copy (the receipt's content is in its
 *        {@code ReceiptReceived} event)
 * @param outDir the senders' outgoing folder, swept for orphans and files near the deadline; must be
 *        the transporter's {@code out-dir} (the app sets it so)
 * @param inDir the senders' incoming folder, polled for receipts; must be the transporter's
 *        {@code in-dir} (the app sets it so)
 * @param ownership which instance polls and sweeps which sender account when several run
 */
@Validated
@ConfigurationProperties(ReceiptTrackerProperties.PREFIX)
public record ReceiptTrackerProperties(
        @DefaultValue("1m") @DurationMin(millis = 0) Duration pollInterval,
        @DefaultValue("30m") @DurationMin(seconds = 1) Duration timeout,
        @DefaultValue("1m") @DurationMin(millis = 100) Duration punctuateInterval,
        @DefaultValue("35d") @DurationMin(days = 31) Duration forgetAfter,
        @DefaultValue List<@NotBlank String> senders,
        @DefaultValue("sf1820-receipt-tracker") @NotBlank String applicationId,
        @DefaultValue("10m") @DurationMin(millis = 0) Duration housekeepingInterval,
        @DefaultValue("1h") @DurationMin(minutes = 10) Duration orphanAge,

        @DefaultValue(PlatformRetention.WARNING_AFTER_TEXT) @DurationMin(days = 1) @DurationMax(days = 29)
        Duration deadlineWarningAfter,

        Path archiveDir,

        @DefaultValue(PlatformFolders.OUT)
        @NotBlank
        @Pattern(regexp = PlatformFolders.ABSOLUTE, message = "must be an absolute SFTP path such as /OUT")
        String outDir,

        @DefaultValue(PlatformFolders.IN)
        @NotBlank
        @Pattern(regexp = PlatformFolders.ABSOLUTE, message = "must be an absolute SFTP path such as /IN")
        String inDir,

        @DefaultValue @Valid ReceiptTrackerProperties.Ownership ownership) {

    /** Where these settings live. */
    public static final String PREFIX = "sf1820.receipt-tracker";

    /** How the sender accounts' duties (receipt poll, folder sweep, deadline report) are shared out. */
    public enum OwnershipMode {
        /** By Kafka's assignment of the duties topic's partitions in a consumer group: one owner per sender. */
        GROUP,
        /** This instance does every sender's duties: one instance only, or {@code senders} split by hand. */
        ALL
    }

    /**
     * Which instance owns which sender account's duties.
     *
     * @param mode {@code group} (default): each sender belongs to one partition of {@code topic} (a
     *        stable hash of its SFTP user) and the instance that Kafka assigns that partition in
     *        {@code group-id} owns it; when the owner dies its partitions, and so its senders, move to
     *        another instance after the consumer session timeout ({@code session.timeout.ms}).
     *        {@code all}: no group; this instance serves every sender it is configured with.
     * @param topic the duties topic; it also records, compacted, which once-only duties were done
     *        (a file version's deadline report), so a new owner does not repeat them
     * @param partitions the duties topic's partitions when the tracker creates it: more than the
     *        instances you will run, so senders spread evenly
     * @param groupId the consumer group whose assignment decides ownership
     */
    public record Ownership(
            @DefaultValue("group") OwnershipMode mode,

            @DefaultValue("sf1820.receipt-tracker.duties") @NotBlank
            String topic,

            @DefaultValue("12") @Min(1) int partitions,

            @DefaultValue("sf1820-receipt-tracker-duties") @NotBlank
            String groupId) {}

    public SenderFolders folders() {
        return new SenderFolders(outDir, inDir);
    }
}

package dk.sf1820.schemas;

import dk.sf1820.schemas.avro.BusinessReceiptReceived;
import dk.sf1820.schemas.avro.ByteProgress;
import dk.sf1820.schemas.avro.DeadLetterReplayed;
import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.DeliveryTimedOut;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.HousekeepingPerformed;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.avro.ResendRequested;
import dk.sf1820.schemas.avro.TransferFailed;
import dk.sf1820.schemas.avro.TransferProgress;
import dk.sf1820.schemas.avro.TransferUploaded;
import java.util.List;
import java.util.Optional;

/** The pipeline's topics, in the order a transfer passes through them. They are the audit trail. */
public final class Topics {

    public static final Topic EXTRACT_READY =
            new Topic("sf1820.extract.ready", PipelineStage.EXTRACTOR, ExtractReady.class);
    public static final Topic PACKAGE_READY =
            new Topic("sf1820.package.ready", PipelineStage.PACKAGER, PackageReady.class);
    public static final Topic TRANSFER_UPLOADED = new Topic(
            "sf1820.transfer.uploaded", PipelineStage.TRANSPORTER, TransferUploaded.class, TransferFailed.class);
    public static final Topic RECEIPT_RECEIVED = new Topic(
            "sf1820.receipt.received",
            PipelineStage.RECEIPT_TRACKER,
            ReceiptReceived.class,
            BusinessReceiptReceived.class);
    public static final Topic DELIVERY_OUTCOME = new Topic(
            "sf1820.delivery.outcome",
            PipelineStage.RECEIPT_TRACKER,
            DeliverySucceeded.class,
            DeliveryFailed.class,
            DeliveryTimedOut.class);
    /** What the receipt tracker cleaned up or reported in the sender's folders; after the outcome. */
    public static final Topic HOUSEKEEPING =
            new Topic("sf1820.housekeeping", PipelineStage.RECEIPT_TRACKER, HousekeepingPerformed.class);

    /**
     * What operators did through the console, with who and why: a failed transfer's resend, which the
     * extractor carries out, and a dead letter's replay. Written by no stage (its writer is null): by the
     * application serving the console on an operator's request.
     */
    public static final Topic OPERATOR_ACTIONS =
            new Topic("sf1820.operator.actions", null, ResendRequested.class, DeadLetterReplayed.class);

    /**
     * The transporter's progress per transferId ({@code TransferProgress}), compacted: state, not part
     * of the audit trail, so it is not in {@link #ALL} and the transporter creates it itself.
     */
    public static final Topic TRANSFER_PROGRESS =
            new Topic("sf1820.transfer.progress", PipelineStage.TRANSPORTER, TransferProgress.class);

    /**
     * The packager's reading of each extract ({@code ByteProgress}), for people watching a transfer: not part
     * of the audit trail, kept a day, created by the packager.
     */
    public static final Topic PACKAGING_PROGRESS =
            new Topic("sf1820.packaging.progress", PipelineStage.PACKAGER, ByteProgress.class);

    /** The transporter's upload of each package ({@code ByteProgress}); as {@link #PACKAGING_PROGRESS}. */
    public static final Topic UPLOAD_PROGRESS =
            new Topic("sf1820.upload.progress", PipelineStage.TRANSPORTER, ByteProgress.class);

    public static final List<Topic> ALL = List.of(
            EXTRACT_READY,
            PACKAGE_READY,
            TRANSFER_UPLOADED,
            RECEIPT_RECEIVED,
            DELIVERY_OUTCOME,
            HOUSEKEEPING,
            OPERATOR_ACTIONS);

    /** Prefix of the transporter's retry topics ({@code sf1820.package.ready.retry-<ms>}), which carry PackageReady. */
    public static final String PACKAGE_READY_RETRY_PREFIX = PACKAGE_READY.name() + ".retry";

    private Topics() {}

    /**
     * The pipeline topic whose events a topic of this name carries: the topic itself, its dead-letter
     * topic (what was refused there, read as that topic's events) or one of the transporter's retry
     * topics. Empty for names outside the contract, e.g. Kafka Streams' changelogs.
     */
    public static Optional<Topic> byName(String name) {
        String base =
                name.endsWith(Topic.DLT_SUFFIX) ? name.substring(0, name.length() - Topic.DLT_SUFFIX.length()) : name;
        for (Topic topic : List.of(
                EXTRACT_READY,
                PACKAGE_READY,
                TRANSFER_UPLOADED,
                RECEIPT_RECEIVED,
                DELIVERY_OUTCOME,
                HOUSEKEEPING,
                OPERATOR_ACTIONS,
                TRANSFER_PROGRESS,
                PACKAGING_PROGRESS,
                UPLOAD_PROGRESS)) {
            if (topic.name().equals(base)) {
                return Optional.of(topic);
            }
        }
        return base.startsWith(PACKAGE_READY_RETRY_PREFIX) ? Optional.of(PACKAGE_READY) : Optional.empty();
    }
}

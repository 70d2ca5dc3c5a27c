package dk.sf1820.testsupport;

import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.TransferRef;
import java.time.Clock;

/**
 * Valid pipeline events of one KSD transfer (authority 0561, period M03), for tests whose subject is
 * what happens to an event rather than its content: each field holds a plausible value, so the
 * event passes every schema and stage check. A test that asserts a field sets it itself.
 */
public final class SampleEvents {

    /** The sender's SFTP user of the KSD fagsystem, as in the standard registry. */
    public static final String KSD_SENDER = "KSD_SFTPSIMPEL";
    /** A data file name of the default pattern for a KSD/0561/M03 transfer. */
    public static final String KSD_FILE_NAME = "KSD_DST_0561_M03_20260302111530.zip";

    private SampleEvents() {}

    /** The identity of a KSD/0561/M03 transfer. */
    public static TransferRef ksd(String transferId) {
        return new TransferRef(transferId, "KSD", "0561", "M03");
    }

    /** A submitted three-byte extract, staged under the transfer's own folder. */
    public static ExtractReady extractReady(TransferRef ref, Clock clock) {
        ExtractReady event = ref.stamp(new ExtractReady(), clock);
        event.setStagedFile("file:///staging/extracts/" + ref.transferId() + "/a.csv");
        event.setOriginalFileName("a.csv");
        event.setSizeBytes(3);
        event.setSha256("ab".repeat(32));
        event.setSource("submit");
        return event;
    }

    /** The transfer's data file and trigger put into the sender's OUT. */
    public static TransferUploaded transferUploaded(TransferRef ref, String fileName, long sizeBytes, Clock clock) {
        TransferUploaded event = ref.stamp(new TransferUploaded(), clock);
        event.setSender(KSD_SENDER);
        event.setFileName(fileName);
        event.setRemoteDataPath("/OUT/" + fileName);
        event.setRemoteTriggerPath("/OUT/" + fileName + ".trigger");
        event.setSizeBytes(sizeBytes);
        event.setDurationMillis(1L);
        event.setServer("127.0.0.1:22");
        return event;
    }

    /** The transfer's positive receipt. */
    public static DeliverySucceeded deliverySucceeded(TransferRef ref, Clock clock) {
        DeliverySucceeded event = ref.stamp(new DeliverySucceeded(), clock);
        event.setFileName(KSD_FILE_NAME);
        return event;
    }
}

package dk.sf1820.schemas.events;

import dk.sf1820.schemas.avro.BusinessReceiptReceived;
import dk.sf1820.schemas.avro.ByteProgress;
import dk.sf1820.schemas.avro.CorrelationState;
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
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/** Every record type that may travel through the pipeline's topics or state stores. */
public final class Events {

    public static final List<Class<? extends SpecificRecordBase>> TYPES = List.of(
            ExtractReady.class,
            PackageReady.class,
            TransferUploaded.class,
            TransferFailed.class,
            ReceiptReceived.class,
            BusinessReceiptReceived.class,
            DeliverySucceeded.class,
            DeliveryFailed.class,
            DeliveryTimedOut.class,
            HousekeepingPerformed.class,
            ResendRequested.class,
            DeadLetterReplayed.class,
            CorrelationState.class,
            TransferProgress.class,
            ByteProgress.class);

    private Events() {}

    /** The short name of an event's type, as shown in logs and the audit timeline. */
    public static String typeOf(Object event) {
        return event instanceof SpecificRecordBase r ? r.getSchema().getName() : String.valueOf(event);
    }

    /** The schema a generated event class was built from: the current version. */
    public static Schema schemaOf(Class<? extends SpecificRecordBase> type) {
        try {
            return (Schema) type.getField("SCHEMA$").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Not an Avro generated class: " + type, e);
        }
    }
}

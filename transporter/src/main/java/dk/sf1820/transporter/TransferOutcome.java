package dk.sf1820.transporter;

import dk.sf1820.schemas.avro.TransferFailed;
import dk.sf1820.schemas.avro.TransferUploaded;
import org.apache.avro.specific.SpecificRecordBase;

/** How a transfer ended on the transporter's side: the event that says so on the transfer topic. */
public sealed interface TransferOutcome {

    SpecificRecordBase event();

    /** Data file and trigger are in the sender's OUT (now or on an earlier delivery of the event). */
    record Uploaded(TransferUploaded event) implements TransferOutcome {}

    /** The transfer cannot proceed without an operator (untrusted host key, refused key). */
    record Failed(TransferFailed event) implements TransferOutcome {}
}

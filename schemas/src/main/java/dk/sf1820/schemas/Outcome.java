package dk.sf1820.schemas;

import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.DeliverySucceeded;
import dk.sf1820.schemas.avro.DeliveryTimedOut;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * How a transfer ended: exactly one of these per transfer on {@code sf1820.delivery.outcome}. The
 * receipt tracker's correlation state stores the name ({@code CorrelationState.outcome}), the audit
 * shows it as the transfer's final state; both use these names, so they never drift apart.
 */
public enum Outcome {
    /** The platform delivered the file ({@code DeliverySucceeded}). */
    SUCCEEDED(DeliverySucceeded.class),
    /** The platform refused it, or the transporter gave up ({@code DeliveryFailed}). */
    FAILED(DeliveryFailed.class),
    /** No receipt came in time ({@code DeliveryTimedOut}). */
    TIMED_OUT(DeliveryTimedOut.class);

    private final Class<? extends SpecificRecordBase> event;

    Outcome(Class<? extends SpecificRecordBase> event) {
        this.event = event;
    }

    /** The event type that carries this outcome. */
    public Class<? extends SpecificRecordBase> event() {
        return event;
    }

    /** The outcome an event is, if it is one. */
    public static Optional<Outcome> of(Object event) {
        for (Outcome outcome : values()) {
            if (outcome.event.isInstance(event)) {
                return Optional.of(outcome);
            }
        }
        return Optional.empty();
    }
}

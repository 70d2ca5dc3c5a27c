package dk.sf1820.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.avro.DeliveryFailed;
import dk.sf1820.schemas.avro.ExtractReady;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 11: the outcome vocabulary and the outcome topic name the same events. */
class OutcomeTest {

    @Test
    void theOutcomeTopicCarriesExactlyTheOutcomes() {
        List<Class<?>> outcomes =
                Arrays.stream(Outcome.values()).<Class<?>>map(Outcome::event).toList();

        assertThat(outcomes).containsExactlyInAnyOrder(Topics.DELIVERY_OUTCOME.events());
    }

    @Test
    void anEventIsAnOutcomeOnlyIfItEndsATransfer() {
        assertThat(Outcome.of(new DeliveryFailed())).contains(Outcome.FAILED);
        assertThat(Outcome.of(new ExtractReady())).isEmpty();
        assertThat(Outcome.of(null)).isEmpty();
    }

    @Test
    void housekeepingActionsAreReadByName() {
        assertThat(HousekeepingAction.of("ORPHAN_DELETED")).contains(HousekeepingAction.ORPHAN_DELETED);
        assertThat(HousekeepingAction.of("SOMETHING_NEWER_DELETED")).isEmpty();
        assertThat(HousekeepingAction.DEADLINE_NEAR.deletesFile()).isFalse();
    }
}

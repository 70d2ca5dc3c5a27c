package dk.sf1820.app.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.Topics;
import org.junit.jupiter.api.Test;

/** Issue 11: the audit names the stage a topic declares as its writer, not a list of its own. */
class AuditTrailStagesTest {

    @Test
    void eachTopicIsAttributedToTheStageThatWritesIt() {
        assertThat(AuditTrail.stageOf(Topics.EXTRACT_READY.name())).isEqualTo("extractor");
        assertThat(AuditTrail.stageOf(Topics.PACKAGE_READY.name())).isEqualTo("packager");
        assertThat(AuditTrail.stageOf(Topics.TRANSFER_UPLOADED.name())).isEqualTo("transporter");
        assertThat(AuditTrail.stageOf(Topics.DELIVERY_OUTCOME.name())).isEqualTo("receipt-tracker");
        assertThat(AuditTrail.stageOf(Topics.HOUSEKEEPING.name())).isEqualTo("receipt-tracker");
    }

    @Test
    void theTransportersProgressIsTheTransportersNotTheTrackers() {
        assertThat(AuditTrail.stageOf(Topics.TRANSFER_PROGRESS.name())).isEqualTo("transporter");
    }
}

package dk.sf1820.receipts.correlation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dk.sf1820.receipts.ReceiptTrackerProperties;
import dk.sf1820.receipts.TopicContents;
import dk.sf1820.receipts.TrackerWithoutPlatform;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeliveryTimedOut;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.TransferRef;
import dk.sf1820.testsupport.SampleEvents;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A transfer whose receipt never comes times out exactly once, on a real broker with the wall clock
 * (the tracker's timeout shortened to seconds; no SFTP server is needed for a receipt that never comes).
 */
class ReceiptTimeoutIT extends TrackerWithoutPlatform {

    @Autowired
    ReceiptTrackerProperties properties;

    @Test
    void uploadWithoutReceiptTimesOutExactlyOnce() throws Exception {
        awaitCorrelationRunning();
        TransferRef ref = new TransferRef(UUID.randomUUID().toString(), "KSD", "0561", "M03");
        TransferUploaded uploaded =
                SampleEvents.transferUploaded(ref, "KSD_DST_0561_M03_20260302000001.zip", 3L, Clock.systemUTC());

        publisher.publish(Topics.TRANSFER_UPLOADED, uploaded);

        SpecificRecordBase outcome = await().atMost(Duration.ofSeconds(30))
                .until(() -> outcomesOf(ref.transferId()), list -> !list.isEmpty())
                .get(0);
        assertThat(outcome).isInstanceOfSatisfying(DeliveryTimedOut.class, t -> {
            assertThat(TransferRef.of(t)).isEqualTo(ref);
            assertThat(t.getWaitedMillis())
                    .isGreaterThanOrEqualTo(properties.timeout().toMillis());
        });
        // several more sweeps pass; the settled transfer must not time out again
        await().pollDelay(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(30))
                .until(() -> TopicContents.lag(
                                broker.getBrokersAsString(),
                                properties.applicationId(),
                                List.of(Topics.TRANSFER_UPLOADED.name()))
                        == 0);
        assertThat(outcomesOf(ref.transferId())).hasSize(1);
    }
}

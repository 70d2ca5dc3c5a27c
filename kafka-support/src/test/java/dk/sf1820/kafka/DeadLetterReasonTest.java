package dk.sf1820.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.events.UnreadableEventException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;

class DeadLetterReasonTest {

    @Test
    void namesTheInnermostCauseOfAnUnreadableRecord() {
        var unreadable = new DeserializationException(
                "failed to deserialize",
                new byte[] {1},
                false,
                new SerializationException("Record on sf1820.extract.ready is not Avro single-object encoded"));
        var headers = DeadLetterReason.headers(unreadable);
        assertThat(new String(headers.lastHeader(DeadLetterReason.HEADER).value(), StandardCharsets.UTF_8))
                .isEqualTo("SerializationException: Record on sf1820.extract.ready is not Avro single-object encoded");
    }

    @Test
    void keepsTheStagesOwnWordsForARefusedEvent() {
        var refused = new ListenerExecutionFailedException(
                "Listener method threw",
                new NonRetryableEventException("staged file /x is missing", new IOException("ENOENT")));
        assertThat(DeadLetterReason.reason(refused)).isEqualTo("NonRetryableEventException: staged file /x is missing");
    }

    @Test
    void keepsTheReadersWholeStatementOfAnUnreadableRecord() {
        var unreadable = new DeserializationException(
                "failed to deserialize",
                new byte[] {1},
                false,
                new UnreadableEventException(
                        "Record on sf1820.extract.ready is a corrupt ExtractReady: String length "
                                + "2147483639 exceeds maximum allowed at field eventId",
                        new IllegalStateException("String length 2147483639 exceeds maximum allowed")));
        assertThat(DeadLetterReason.reason(unreadable))
                .isEqualTo("UnreadableEventException: Record on "
                        + "sf1820.extract.ready is a corrupt ExtractReady: String length 2147483639 exceeds maximum allowed"
                        + " at field eventId");
    }
}

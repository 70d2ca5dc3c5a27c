package dk.sf1820.app.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StatusMemoTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:15:30Z");
    private final StatusMemo memo = new StatusMemo(Duration.ofMinutes(1));
    private final AtomicInteger computed = new AtomicInteger();

    @Test
    void anUnchangedTimelineIsNotComputedAgainWithinTheMaxAge() {
        List<AuditEntry> timeline = new ArrayList<>();

        TransferStatus first = memo.get("t", timeline, NOW, this::compute);
        TransferStatus again = memo.get("t", timeline, NOW.plusSeconds(59), this::compute);

        assertThat(again).isSameAs(first);
        assertThat(computed).hasValue(1);
    }

    @Test
    void aNewTimelineOrAnOldMemoIsComputedAgain() {
        List<AuditEntry> timeline = new ArrayList<>();
        memo.get("t", timeline, NOW, this::compute);

        List<AuditEntry> changed = new ArrayList<>(timeline);
        memo.get("t", changed, NOW, this::compute);
        memo.get("t", changed, NOW.plusSeconds(61), this::compute);

        assertThat(computed).hasValue(3);
    }

    @Test
    void aReplayRemembersNothing() {
        StatusMemo none = StatusMemo.none();
        List<AuditEntry> timeline = List.of();

        none.get("t", timeline, NOW, this::compute);
        none.get("t", timeline, NOW, this::compute);

        assertThat(computed).hasValue(2);
    }

    private TransferStatus compute() {
        computed.incrementAndGet();
        return new TransferStatus("t", "KSD", "0561", "M03", null, TransferState.EXTRACTED, NOW, null);
    }
}

package dk.sf1820.app.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The audit trail over HTTP, for the long-running process: the same replay as {@code ./sf1820 audit}
 * and {@code status}, as JSON. Every request replays the topics, so answers are never stale.
 */
@RestController
class TransfersController {

    /** One event of a transfer's timeline. */
    record TimelineEntry(Instant at, String stage, String event, String topic, int partition, long offset,
            Map<String, String> details) {
    }

    /** One transfer's timeline, in the order things happened. */
    record Timeline(String transferId, List<TimelineEntry> entries) {
    }

    /**
     * The transfers matched, their count per state, those that need attention, and (unfiltered) the records
     * that belong to no transfer.
     */
    record Status(List<TransferStatus> transfers, Map<TransferState, Long> counts, List<TransferStatus> attention,
            List<String> strayRecords) {
    }

    private final AuditTrail auditTrail;
    private final Clock clock;

    TransfersController(AuditTrail auditTrail, Clock clock) {
        this.auditTrail = auditTrail;
        this.clock = clock;
    }

    /** By transferId or data file name; several timelines when a file name was used more than once. */
    @GetMapping("/transfers/{idOrFileName}/audit")
    List<Timeline> audit(@PathVariable String idOrFileName) {
        Map<String, List<AuditEntry>> timelines = auditTrail.replay().timelines(idOrFileName);
        if (timelines.isEmpty()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND,
                    "no transfer with id or data file name '" + idOrFileName + "' in the audit trail");
        }
        return timelines.entrySet().stream().map(t -> new Timeline(t.getKey(), t.getValue().stream()
                .map(e -> new TimelineEntry(e.at(), e.stage(), e.type(), e.topic(), e.partition(), e.offset(),
                        e.details())).toList())).toList();
    }

    @GetMapping("/transfers")
    Status transfers(@RequestParam(required = false) String fagsystem,
            @RequestParam(required = false) String authority, @RequestParam(required = false) String period) {
        AuditLog log = auditTrail.replay();
        TransferFilter filter = new TransferFilter(fagsystem, authority, period);
        List<TransferStatus> statuses = log.statuses(filter, clock);
        return new Status(statuses, AuditPrinter.counts(statuses),
                statuses.stream().filter(TransferStatus::needsAttention).toList(),
                filter.isEmpty() ? log.strayRecords() : List.of());
    }
}

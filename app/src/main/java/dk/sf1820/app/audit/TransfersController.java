package dk.sf1820.app.audit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The audit trail over HTTP, for the long-running process: what {@code ./sf1820 audit} and {@code status}
 * show, as JSON, answered from the live {@link TransferProjection} (no replay per request).
 */
@RestController
class TransfersController {

    /** One event of a transfer's timeline. */
    record TimelineEntry(
            Instant at,
            String stage,
            String event,
            String topic,
            int partition,
            long offset,
            Map<String, String> details) {}

    /** One transfer's timeline, in the order things happened. */
    record Timeline(String transferId, List<TimelineEntry> entries) {}

    /**
     * The transfers matched (the newest {@code limit} of them where a limit is asked), their count per state,
     * those that need attention (as many), (unfiltered) the records that belong to no transfer, and how many
     * transfers matched and need attention in all.
     */
    record Status(
            List<TransferStatus> transfers,
            Map<TransferState, Long> counts,
            List<TransferStatus> attention,
            List<String> strayRecords,
            int matched,
            int needAttention) {}

    /** How long a request right after start waits for the projection's first catch-up with the topics. */
    private static final Duration CATCH_UP_WAIT = Duration.ofSeconds(20);

    private final TransferProjection projection;
    private final Clock clock;

    TransfersController(TransferProjection projection, Clock clock) {
        this.projection = projection;
        this.clock = clock;
    }

    /** By transferId or data file name; several timelines when a file name was used more than once. */
    @GetMapping("/transfers/{idOrFileName}/audit")
    List<Timeline> audit(@PathVariable String idOrFileName) {
        Map<String, List<AuditEntry>> timelines =
                projection.current(CATCH_UP_WAIT).timelines(idOrFileName);
        if (timelines.isEmpty()) {
            throw new ResponseStatusException(
                    HttpStatus.NOT_FOUND,
                    "no transfer with id or data file name '" + idOrFileName + "' in the audit trail");
        }
        return timelines.entrySet().stream()
                .map(t -> new Timeline(
                        t.getKey(),
                        t.getValue().stream()
                                .map(e -> new TimelineEntry(
                                        e.at(), e.stage(), e.type(), e.topic(), e.partition(), e.offset(), e.details()))
                                .toList()))
                .toList();
    }

    /**
     * The transfers matched, newest first; {@code state} narrows them to one state (e.g. FAILED), {@code q} to
     * those whose transferId or data file name contains it, {@code limit} to the newest so many (the console
     * asks for a page, not for ten thousand rows); blank criteria match everything.
     */
    @GetMapping("/transfers")
    Status transfers(
            @RequestParam(required = false) String fagsystem,
            @RequestParam(required = false) String authority,
            @RequestParam(required = false) String period,
            @RequestParam(required = false) String state,
            @RequestParam(required = false) String q,
            @RequestParam(required = false) Integer limit) {
        AuditLog log = projection.current(CATCH_UP_WAIT);
        TransferFilter filter = new TransferFilter(blankToNull(fagsystem), blankToNull(authority), blankToNull(period));
        TransferState wanted = stateOf(blankToNull(state));
        String text = blankToNull(q) == null ? null : q.strip().toLowerCase(Locale.ROOT);
        List<TransferStatus> statuses = log.statuses(filter, clock).stream()
                .filter(s -> wanted == null || s.state() == wanted)
                .filter(s -> text == null
                        || s.transferId().toLowerCase(Locale.ROOT).contains(text)
                        || (s.fileName() != null
                                && s.fileName().toLowerCase(Locale.ROOT).contains(text)))
                .sorted(Comparator.comparing(TransferStatus::since).reversed())
                .toList();
        List<TransferStatus> attention =
                statuses.stream().filter(TransferStatus::needsAttention).toList();
        int max = limit == null || limit <= 0 ? Integer.MAX_VALUE : limit;
        return new Status(
                statuses.subList(0, Math.min(max, statuses.size())),
                AuditPrinter.counts(statuses),
                attention.subList(0, Math.min(max, attention.size())),
                filter.isEmpty() && wanted == null && text == null ? log.strayRecords() : List.of(),
                statuses.size(),
                attention.size());
    }

    private static TransferState stateOf(String state) {
        if (state == null) {
            return null;
        }
        try {
            return TransferState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ResponseStatusException(
                    HttpStatus.BAD_REQUEST,
                    "state: unknown state '" + state + "'; known: " + Arrays.toString(TransferState.values()));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

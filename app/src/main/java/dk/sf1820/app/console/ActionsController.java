package dk.sf1820.app.console;

import dk.sf1820.app.audit.AuditEntry;
import dk.sf1820.app.audit.TransferProjection;
import dk.sf1820.app.audit.TransferState;
import dk.sf1820.app.audit.TransferStatus;
import dk.sf1820.extractor.TransferIds;
import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.Topics;
import dk.sf1820.schemas.avro.DeadLetterReplayed;
import dk.sf1820.schemas.avro.ExtractReady;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.ResendRequested;
import dk.sf1820.schemas.events.TransferRef;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The console's actions, each recorded on {@code sf1820.operator.actions} with who asked and why: the resend
 * of a failed transfer (carried out by the extractor, which hears of it through that topic) and the replay of
 * a dead letter (its original record republished to the topic it was refused on). Needs the operator role
 * where users are configured ({@link ConsoleSecurity}).
 */
@RestController
class ActionsController {

    private static final Logger log = LoggerFactory.getLogger(ActionsController.class);
    private static final Duration CATCH_UP_WAIT = Duration.ofSeconds(20);
    /** What a resend is for: transfers that will not be delivered as they are. */
    private static final Set<TransferState> RESENDABLE =
            Set.of(TransferState.FAILED, TransferState.TRANSFER_FAILED, TransferState.TIMED_OUT);

    /** Why the operator acts, in their words. */
    record Reason(String reason) {}

    /** A dead letter by where it lies, and why the operator replays it. */
    record Replay(String topic, int partition, long offset, String reason) {}

    /** What was recorded: the action's event id, and for a replay where the record went. */
    record Recorded(String eventId, String transferId, String detail) {}

    private final TransferProjection projection;
    private final EventPublisher publisher;
    private final DeadLetters deadLetters;
    private final Clock clock;
    /*
     * Resends asked through this process, by the transfer resent: the audit trail shows a resend only once the
     * projection has read it back, and a second click (or the retry of a request whose answer was lost) may come
     * sooner.
     */
    private final Map<String, ResendRequested> resent = new ConcurrentHashMap<>();

    ActionsController(TransferProjection projection, EventPublisher publisher, DeadLetters deadLetters, Clock clock) {
        this.projection = projection;
        this.publisher = publisher;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    @PostMapping("/actions/transfers/{transferId}/resend")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Recorded resend(
            @PathVariable String transferId,
            @RequestBody Reason body,
            Principal principal,
            HttpServletRequest request) {
        String reason = requireReason(body == null ? null : body.reason());
        var trail = projection.current(CATCH_UP_WAIT);
        List<AuditEntry> timeline = trail.timelines(transferId).get(transferId);
        if (timeline == null) {
            throw new ResponseStatusException(
                    HttpStatus.NOT_FOUND, "no transfer " + transferId + " in the audit trail");
        }
        TransferStatus status = trail.statuses(ref -> ref.transferId().equals(transferId), clock).stream()
                .findFirst()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no transfer " + transferId));
        if (!RESENDABLE.contains(status.state())) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "transfer " + transferId + " is " + status.state()
                            + "; only a failed, transfer-failed or timed-out transfer is resent from the console");
        }
        PackageReady packaged = last(timeline, PackageReady.class);
        ExtractReady extract = last(timeline, ExtractReady.class);
        if (packaged == null || extract == null) {
            throw new ResponseStatusException(
                    HttpStatus.CONFLICT,
                    "transfer " + transferId
                            + " has no ExtractReady and PackageReady in the audit trail: nothing to resend from");
        }
        Set<String> refused = refusedResends(timeline);
        requireNotResent(transferId, timeline, refused);
        ResendRequested event = TransferRef.of(packaged).stamp(new ResendRequested(), clock);
        event.setRequestedBy(who(principal, request));
        event.setReason(reason);
        event.setPackageRef(packaged.getPackageRef());
        event.setOriginalFileName(extract.getOriginalFileName());
        event.setSource(extract.getSource());
        ResendRequested asked = resent.compute(
                transferId,
                (id, earlier) -> earlier == null || refused.contains(earlier.getEventId()) ? event : earlier);
        if (asked != event) {
            throw resentAlready(transferId, asked);
        }
        try {
            publisher.publish(Topics.OPERATOR_ACTIONS, event);
        } catch (RuntimeException e) {
            resent.remove(transferId, event); // not recorded: the operator may ask again
            throw e;
        }
        try (var ignored = MDC.putCloseable("transferId", transferId)) {
            log.info(
                    "resend requested transferId={} requestedBy={} reason=\"{}\"",
                    transferId,
                    event.getRequestedBy(),
                    reason);
        }
        return new Recorded(event.getEventId(), transferId, "the extractor stages it anew under a new transferId");
    }

    @PostMapping("/actions/dead-letters/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Recorded replay(@RequestBody Replay body, Principal principal, HttpServletRequest request) {
        String reason = requireReason(body.reason());
        DeadLetters.Republished republished = deadLetters.republish(body.topic(), body.partition(), body.offset());
        String key = republished.key() == null ? "" : republished.key();
        TransferRef ref = refOf(key);
        DeadLetterReplayed event = ref.stamp(new DeadLetterReplayed(), clock);
        event.setRequestedBy(who(principal, request));
        event.setReason(reason);
        event.setDeadLetterTopic(body.topic());
        event.setDeadLetterPartition(body.partition());
        event.setDeadLetterOffset(body.offset());
        event.setOriginalTopic(republished.topic());
        publisher.publish(Topics.OPERATOR_ACTIONS, event);
        try (var ignored = MDC.putCloseable("transferId", key)) {
            log.info(
                    "dead letter replayed transferId={} deadLetter={}@{}:{} to={} offset={} requestedBy={} reason=\"{}\"",
                    key,
                    body.topic(),
                    body.partition(),
                    body.offset(),
                    republished.topic(),
                    republished.offset(),
                    event.getRequestedBy(),
                    reason);
        }
        return new Recorded(
                event.getEventId(),
                key,
                "republished to " + republished.topic() + "@" + republished.partition() + ":" + republished.offset());
    }

    /**
     * A transfer is resent once: each resend is a new transfer (its transferId derived from the action), so a
     * second resend of the same failed transfer, e.g. the operator asking again after a crash lost the answer to
     * the first, would deliver the extract twice. A resend that fails in turn is resent as that new transfer. An
     * action the extractor refused (dead-lettered: its package was gone) resent nothing and does not count.
     */
    private static void requireNotResent(String transferId, List<AuditEntry> timeline, Set<String> refused) {
        for (AuditEntry entry : timeline) {
            if (!entry.deadLetter()
                    && entry.event() instanceof ResendRequested action
                    && !refused.contains(action.getEventId())) {
                throw resentAlready(transferId, action);
            }
        }
    }

    /** The eventIds of the transfer's resend actions the extractor refused (dead-lettered). */
    private static Set<String> refusedResends(List<AuditEntry> timeline) {
        Set<String> refused = new HashSet<>();
        for (AuditEntry entry : timeline) {
            if (entry.deadLetter() && entry.event() instanceof ResendRequested action) {
                refused.add(action.getEventId());
            }
        }
        return refused;
    }

    private static ResponseStatusException resentAlready(String transferId, ResendRequested earlier) {
        return new ResponseStatusException(
                HttpStatus.CONFLICT,
                "transfer " + transferId + " was resent already, at " + earlier.getOccurredAt() + " by "
                        + earlier.getRequestedBy() + " (action " + earlier.getEventId() + ") as transferId "
                        + TransferIds.ofResendAction(earlier.getEventId())
                        + "; a second resend would deliver the extract twice: if that transfer fails, resend it");
    }

    /** The refusal's reason as the body's {@code detail}, which the console shows beside the action. */
    @ExceptionHandler(ResponseStatusException.class)
    ProblemDetail refused(ResponseStatusException e) {
        return ProblemDetail.forStatusAndDetail(e.getStatusCode(), e.getReason());
    }

    /** The transfer the dead letter's key names, as the audit trail knows it; unknown fields as "?". */
    private TransferRef refOf(String key) {
        return projection.current(CATCH_UP_WAIT).timelines(key).getOrDefault(key, List.of()).stream()
                .map(AuditEntry::ref)
                .filter(r -> r != null)
                .findFirst()
                .orElse(new TransferRef(key, "?", "?", "?"));
    }

    private static <T> T last(List<AuditEntry> timeline, Class<T> type) {
        T found = null;
        for (AuditEntry entry : timeline) {
            if (type.isInstance(entry.event()) && !entry.deadLetter()) {
                found = type.cast(entry.event());
            }
        }
        return found;
    }

    private static String requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new ResponseStatusException(
                    HttpStatus.BAD_REQUEST, "reason: say why (it is recorded with the action)");
        }
        if (reason.length() > 1000) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "reason: at most 1000 characters");
        }
        return reason.strip();
    }

    /** The authenticated user, or, on loopback without users, where the request came from. */
    private static String who(Principal principal, HttpServletRequest request) {
        return principal != null ? principal.getName() : "local@" + request.getRemoteAddr();
    }
}

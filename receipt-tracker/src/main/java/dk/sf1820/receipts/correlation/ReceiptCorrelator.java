package dk.sf1820.receipts.correlation;

import dk.sf1820.kafka.KeyedByTransferId;
import dk.sf1820.kafka.NonRetryableEventException;
import dk.sf1820.kafka.PipelineMetrics;
import dk.sf1820.schemas.Outcome;
import dk.sf1820.schemas.avro.CorrelationState;
import dk.sf1820.schemas.avro.ReceiptReceived;
import dk.sf1820.schemas.avro.TransferFailed;
import dk.sf1820.schemas.avro.TransferUploaded;
import dk.sf1820.schemas.events.Events;
import dk.sf1820.schemas.events.TransferRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Decides the one outcome of each transfer from its upload, its receipt and the passing of time.
 *
 * <p>The first of these that settles a transfer wins and is remembered in the state store; whatever
 * arrives later (a redelivered receipt, a receipt after the timeout, a second upload event) is
 * logged and dropped. Under {@code exactly_once_v2} the store update, the outcome and the input
 * offsets commit together, so a crash can neither lose nor repeat an outcome.
 */
class ReceiptCorrelator implements Processor<String, SpecificRecordBase, String, SpecificRecordBase> {

    private static final Logger log = LoggerFactory.getLogger(ReceiptCorrelator.class);

    private final Duration timeout;
    private final Duration punctuateEvery;
    private final Duration forgetAfter;
    private final PipelineMetrics metrics;
    /** The fagsystems seen waiting, so that a fagsystem whose last transfer settled shows 0, not nothing. */
    private final Set<String> fagsystemsSeen = new TreeSet<>();

    private ProcessorContext<String, SpecificRecordBase> context;
    private KeyValueStore<String, CorrelationState> store;

    ReceiptCorrelator(Duration timeout, Duration punctuateEvery, Duration forgetAfter, PipelineMetrics metrics) {
        this.timeout = timeout;
        this.punctuateEvery = punctuateEvery;
        this.forgetAfter = forgetAfter;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecordBase> context) {
        this.context = context;
        this.store = context.getStateStore(ReceiptCorrelationTopology.CORRELATION_STORE);
        // wall-clock time: a transfer must time out even when no other event arrives at all
        context.schedule(punctuateEvery, PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, SpecificRecordBase> record) {
        SpecificRecordBase event = record.value();
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("?");
        if (event == null) {
            // a tombstone (an unreadable record never gets here): StreamsDeadLetters sends it to the
            // dead-letter topic, as the listeners do
            throw new NonRetryableEventException(KeyedByTransferId.tombstone(topic, record.key()));
        }
        String transferId = TransferRef.of(event).transferId();
        try (var ignored = MDC.putCloseable("transferId", transferId)) {
            // under another key the event is in another task, whose store would hold a second state for the
            // transfer and could settle it a second time: StreamsDeadLetters sends it to the dead-letter topic
            KeyedByTransferId.violation(topic, record.key(), event).ifPresent(reason -> {
                throw new NonRetryableEventException(reason);
            });
            CorrelationState state = store.get(transferId);
            if (event instanceof TransferUploaded uploaded) {
                onUploaded(uploaded, state, record.timestamp());
            } else if (event instanceof TransferFailed failed) {
                onTransferFailed(failed, state, record.timestamp());
            } else if (event instanceof ReceiptReceived receipt) {
                onReceipt(receipt, state, record.timestamp());
            } else {
                log.debug("ignored event={} transferId={}", Events.typeOf(event), transferId);
            }
        }
    }

    private void onUploaded(TransferUploaded uploaded, CorrelationState state, long timestamp) {
        String transferId = uploaded.getTransferId();
        if (state != null && (state.getOutcome() != null || state.getUploadedAt() != null)) {
            // a redelivered upload event must not restart the clock or settle the transfer twice
            log.info("duplicate upload dropped transferId={} outcome={}", transferId, state.getOutcome());
            return;
        }
        CorrelationState next = TransferRef.of(uploaded).stamp(new CorrelationState(), at(now()));
        next.setFileName(uploaded.getFileName());
        next.setSender(uploaded.getSender());
        next.setUploadedAt(uploaded.getOccurredAt());
        log.info(
                "upload recorded transferId={} fileName={} sender={}",
                transferId,
                uploaded.getFileName(),
                uploaded.getSender());
        if (state != null && state.getReceipt() != null) {
            next.setReceipt(state.getReceipt());
            settle(next, DeliveryOutcomes.fromReceipt(next, state.getReceipt(), now()), timestamp);
            return;
        }
        store.put(transferId, next);
    }

    private void onTransferFailed(TransferFailed failed, CorrelationState state, long timestamp) {
        String transferId = failed.getTransferId();
        if (state != null && state.getOutcome() != null) {
            log.info("transfer failure after outcome dropped transferId={} outcome={}", transferId, state.getOutcome());
            return;
        }
        CorrelationState next = TransferRef.of(failed).stamp(new CorrelationState(), at(now()));
        next.setFileName(failed.getFileName());
        next.setSender(failed.getSender());
        if (state != null && state.getReceipt() != null) {
            // the platform processed a trigger after all, so its receipt is the better verdict
            next.setReceipt(state.getReceipt());
            settle(next, DeliveryOutcomes.fromReceipt(next, state.getReceipt(), now()), timestamp);
            return;
        }
        log.warn(
                "transporter gave up transferId={} fileName={} attempts={} cause={}",
                transferId,
                failed.getFileName(),
                failed.getAttempts(),
                failed.getCause());
        settle(
                next,
                DeliveryOutcomes.failed(
                        next,
                        failed.getFileName(),
                        null,
                        List.of(TrackerErrors.transporterGaveUp(failed.getCause(), failed.getAttempts())),
                        now()),
                timestamp);
    }

    private void onReceipt(ReceiptReceived receipt, CorrelationState state, long timestamp) {
        String transferId = receipt.getTransferId();
        if (state != null && state.getOutcome() != null) {
            if (Outcome.TIMED_OUT.name().equals(state.getOutcome())) {
                log.warn(
                        "late receipt dropped transferId={} fileName={} success={}: the transfer already timed out",
                        transferId,
                        receipt.getFileName(),
                        receipt.getSuccess());
            } else {
                log.info("duplicate receipt dropped transferId={} outcome={}", transferId, state.getOutcome());
            }
            return;
        }
        if (state == null || state.getUploadedAt() == null) {
            if (state != null && state.getReceipt() != null) {
                log.info("duplicate receipt before upload dropped transferId={}", transferId);
                return;
            }
            CorrelationState waiting =
                    state != null ? state : TransferRef.of(receipt).stamp(new CorrelationState(), at(now()));
            waiting.setReceipt(receipt);
            if (waiting.getFileName() == null) {
                waiting.setFileName(receipt.getFileName());
                waiting.setSender(receipt.getSender());
            }
            log.info(
                    "receipt before upload transferId={} fileName={}: waiting for the upload event",
                    transferId,
                    receipt.getFileName());
            store.put(transferId, waiting);
            return;
        }
        state.setReceipt(receipt);
        settle(state, DeliveryOutcomes.fromReceipt(state, receipt, now()), timestamp);
    }

    /** Runs every {@code punctuateEvery} of wall-clock time: raises timeouts and forgets old transfers. */
    private void sweep(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        List<KeyValue<String, CorrelationState>> due = new ArrayList<>();
        List<String> forgotten = new ArrayList<>();
        Map<String, Integer> waiting = new TreeMap<>();
        Map<String, Duration> oldest = new TreeMap<>();
        try (KeyValueIterator<String, CorrelationState> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, CorrelationState> entry = all.next();
                CorrelationState state = entry.value;
                if (state.getOutcome() != null) {
                    // a task restored after a restart or a move has not settled these itself: their fagsystems
                    // keep their 0 in flight rather than vanish from the gauge
                    fagsystemsSeen.add(state.getFagsystem());
                    if (!state.getOccurredAt().plus(forgetAfter).isAfter(now)) {
                        forgotten.add(entry.key);
                    }
                } else {
                    if (!waitingSince(state).plus(timeout).isAfter(now)) {
                        due.add(entry);
                    }
                    waiting.merge(state.getFagsystem(), 1, Integer::sum);
                    oldest.merge(
                            state.getFagsystem(), Duration.between(waitingSince(state), now), PipelineMetrics::longer);
                }
            }
        }
        reportInFlight(waiting, oldest);
        // changes are applied after the iterator is closed, so the sweep never reads its own writes
        forgotten.forEach(store::delete);
        for (KeyValue<String, CorrelationState> entry : due) {
            try (var ignored = MDC.putCloseable("transferId", entry.key)) {
                timeOut(entry.value, now, wallClockMillis);
            }
        }
    }

    private void timeOut(CorrelationState state, Instant now, long timestamp) {
        if (state.getUploadedAt() == null) {
            // a receipt whose upload event never came: the platform's verdict still must not go unheard
            log.warn(
                    "no upload event within {} transferId={} fileName={}: outcome taken from the receipt alone",
                    timeout,
                    state.getTransferId(),
                    state.getFileName());
            settle(state, DeliveryOutcomes.fromReceipt(state, state.getReceipt(), now), timestamp);
            return;
        }
        log.warn(
                "no receipt within {} transferId={} fileName={} uploadedAt={}",
                timeout,
                state.getTransferId(),
                state.getFileName(),
                state.getUploadedAt());
        settle(state, DeliveryOutcomes.timedOut(state, now), timestamp);
    }

    private void settle(CorrelationState state, SpecificRecordBase outcome, long timestamp) {
        state.setOutcome(DeliveryOutcomes.nameOf(outcome));
        // occurredAt now marks when the outcome was decided; forgetAfter counts from there
        state.setOccurredAt(now());
        store.put(state.getTransferId(), state);
        context.forward(new Record<>(state.getTransferId(), outcome, timestamp));
        ReceiptReceived receipt = state.getReceipt();
        // a transfer settled between two sweeps was never counted as waiting: the next sweep reports its
        // fagsystem with 0 in flight, so the gauge exists for every fagsystem that has had a transfer
        fagsystemsSeen.add(state.getFagsystem());
        metrics.settled(
                state.getFagsystem(),
                state.getAuthority(),
                state.getOutcome(),
                receipt == null || state.getUploadedAt() == null
                        ? null
                        : Duration.between(state.getUploadedAt(), receipt.getOccurredAt()));
        log.info(
                "outcome emitted transferId={} outcome={} fileName={}",
                state.getTransferId(),
                state.getOutcome(),
                state.getFileName());
    }

    /** The transfers of this task still waiting, with the age of the oldest, as of this sweep. */
    private void reportInFlight(Map<String, Integer> waiting, Map<String, Duration> oldest) {
        fagsystemsSeen.addAll(waiting.keySet());
        fagsystemsSeen.forEach(fagsystem -> {
            waiting.putIfAbsent(fagsystem, 0);
            oldest.putIfAbsent(fagsystem, Duration.ZERO);
        });
        metrics.inFlight(context.taskId().toString(), waiting, oldest);
    }

    @Override
    public void close() {
        metrics.inFlightGone(context.taskId().toString());
    }

    private static Instant waitingSince(CorrelationState state) {
        return state.getUploadedAt() != null ? state.getUploadedAt() : state.getOccurredAt();
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }
}

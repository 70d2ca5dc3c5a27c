package dk.sf1820.kafka;

import dk.sf1820.schemas.Topic;
import dk.sf1820.schemas.avro.ByteProgress;
import dk.sf1820.schemas.events.TransferRef;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecordBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Publishes {@code ByteProgress} for a stage's work on transfers' files (the packager reading an extract, the
 * transporter uploading a package): at most one record per file and {@link #INTERVAL}, and always the last.
 * Sent without waiting for the broker, and a failed send is only logged: a lost progress record costs a
 * watcher one refresh, while waiting for it would slow the very work it reports.
 */
public class ByteProgressPublisher {

    /** The most often one file's progress is published. */
    public static final Duration INTERVAL = Duration.ofSeconds(1);

    /** How long progress topics keep their records: long enough for anyone watching, not an audit trail. */
    public static final Duration RETENTION = Duration.ofDays(1);

    /** Publishes nothing: for a stage built without Kafka (unit tests). */
    public static final ByteProgressPublisher DISABLED = new ByteProgressPublisher(null, null, Clock.systemUTC());

    private static final Logger log = LoggerFactory.getLogger(ByteProgressPublisher.class);

    private final KafkaTemplate<String, SpecificRecordBase> template;
    private final Topic topic;
    private final Clock clock;

    public ByteProgressPublisher(KafkaTemplate<String, SpecificRecordBase> template, Topic topic, Clock clock) {
        this.template = template;
        this.topic = topic;
        this.clock = clock;
    }

    /** Starts counting one file of {@code totalBytes}; the stream it wraps reports every byte read. */
    public Counter start(TransferRef transfer, String fileName, long totalBytes) {
        return new Counter(transfer, fileName, totalBytes, clock.instant());
    }

    /** One file's count; used by the one thread that reads the file. */
    public final class Counter {

        private final TransferRef transfer;
        private final String fileName;
        private final long totalBytes;
        private final Instant startedAt;
        private long done;
        private Instant nextAt;
        private boolean finished;

        private Counter(TransferRef transfer, String fileName, long totalBytes, Instant startedAt) {
            this.transfer = transfer;
            this.fileName = fileName;
            this.totalBytes = totalBytes;
            this.startedAt = startedAt;
            this.nextAt = startedAt.plus(INTERVAL);
        }

        /** {@code in}, counting what is read from it. */
        public InputStream counting(InputStream in) {
            return new FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        add(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = super.read(buffer, offset, length);
                    if (n > 0) {
                        add(n);
                    }
                    return n;
                }
            };
        }

        void add(long bytes) {
            done += bytes;
            if (finished) {
                return;
            }
            finished = done >= totalBytes;
            Instant now = clock.instant();
            if (finished || !now.isBefore(nextAt)) {
                nextAt = now.plus(INTERVAL);
                publish(now);
            }
        }

        private void publish(Instant now) {
            if (template == null) {
                return;
            }
            ByteProgress progress = transfer.stamp(new ByteProgress(), clock);
            progress.setOccurredAt(now);
            progress.setStartedAt(startedAt);
            progress.setFileName(fileName);
            progress.setBytesDone(done);
            progress.setBytesTotal(totalBytes);
            try {
                template.send(topic.name(), transfer.transferId(), progress).whenComplete((result, failure) -> {
                    if (failure != null) {
                        log.debug(
                                "progress not published transferId={} topic={} cause={}",
                                transfer.transferId(),
                                topic.name(),
                                failure.toString());
                    }
                });
            } catch (RuntimeException e) {
                log.debug(
                        "progress not published transferId={} topic={} cause={}",
                        transfer.transferId(),
                        topic.name(),
                        e.toString());
            }
        }
    }
}

package dk.sf1820.app.notifications;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSender;
import org.springframework.mail.SimpleMailMessage;

/**
 * Mails the operator once per transfer and event that needs attention: a failed or timed-out
 * delivery, a file near the platform's 30-day deletion, a dead letter on any {@code sf1820.*.dlt}.
 *
 * <p>Order per record: ask the ledger, send, record in the ledger, return; the offset is committed
 * after that (one record at a time). A mail server that is down holds this consumer (and only it)
 * until it is back: no notice is skipped.
 */
class OperatorNotifier {

    /** The notifier's own consumer group: every other stage's offsets stay untouched. */
    static final String GROUP = "sf1820-notifier";
    /** The outcome, receipt (business receipts) and housekeeping topics and every dead-letter topic of the pipeline. */
    static final String TOPICS =
            "sf1820\\.delivery\\.outcome|sf1820\\.receipt\\.received|sf1820\\.housekeeping|sf1820\\..+\\.dlt";

    private static final Logger log = LoggerFactory.getLogger(OperatorNotifier.class);

    private final Notices notices = new Notices();
    private final SentNotifications ledger;
    private final MailSender mail;
    private final NotificationProperties properties;
    private final Clock clock;

    OperatorNotifier(SentNotifications ledger, MailSender mail, NotificationProperties properties, Clock clock) {
        this.ledger = ledger;
        this.mail = mail;
        this.properties = properties;
        this.clock = clock;
    }

    @KafkaListener(
            id = GROUP,
            groupId = GROUP,
            topicPattern = TOPICS,
            containerFactory = "notificationContainerFactory")
    void onRecord(ConsumerRecord<String, byte[]> record) {
        Optional<Notice> notice;
        try {
            notice = notices.of(record);
        } catch (SerializationException e) {
            // the stage that owns this topic dead-letters the record; that dead letter is the notice
            log.warn(
                    "unreadable record not notified transferId={} topic={} partition={} offset={} reason={}",
                    record.key(),
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            return;
        }
        notice.ifPresent(this::notify);
    }

    private void notify(Notice notice) {
        MDC.put("transferId", notice.transferId() == null ? "-" : notice.transferId());
        try {
            Duration age = Duration.between(notice.occurredAt(), clock.instant());
            if (age.compareTo(properties.maxEventAge()) > 0) {
                log.info(
                        "notification not sent, event older than max-event-age transferId={} kind={} age={} "
                                + "source={}",
                        notice.transferId(),
                        notice.kind(),
                        age,
                        notice.source());
                return;
            }
            if (ledger.wasSent(notice.key())) {
                log.info(
                        "notification already sent transferId={} kind={} source={}",
                        notice.transferId(),
                        notice.kind(),
                        notice.source());
                return;
            }
            SimpleMailMessage message = new SimpleMailMessage();
            message.setFrom(properties.from());
            message.setTo(properties.to().toArray(String[]::new));
            message.setSubject(notice.subject());
            message.setText(notice.body());
            try {
                mail.send(message);
            } catch (MailException e) {
                log.warn(
                        "notification not sent yet, will retry transferId={} kind={} reason={}",
                        notice.transferId(),
                        notice.kind(),
                        e.getMessage());
                throw e;
            }
            Instant sentAt = clock.instant();
            ledger.recordSent(notice.key(), notice.subject(), sentAt);
            log.info(
                    "notification sent transferId={} kind={} to={} source={}",
                    notice.transferId(),
                    notice.kind(),
                    properties.to(),
                    notice.source());
        } finally {
            MDC.remove("transferId");
        }
    }
}

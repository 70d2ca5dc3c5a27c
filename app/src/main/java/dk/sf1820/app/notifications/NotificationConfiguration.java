package dk.sf1820.app.notifications;

import dk.sf1820.kafka.GrouplessReader;
import dk.sf1820.kafka.PipelineKafkaProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ContainerProperties.AckMode;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The {@code notifier} stage: mail to the operator when a delivery needs attention. Only with
 * {@code sf1820.notifications.enabled=true}; the one-shot commands ({@code submit}, {@code audit},
 * {@code status}) run no stage of this kind, so only {@code run} (and {@code demo}) mail.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("sf1820.notifications.enabled")
@EnableConfigurationProperties(NotificationProperties.class)
public class NotificationConfiguration {

    private static final Duration LEDGER_TIMEOUT = Duration.ofSeconds(30);

    @Bean
    JavaMailSenderImpl notificationMailSender(NotificationProperties properties) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(properties.smtp().host());
        sender.setPort(properties.smtp().port());
        sender.setUsername(properties.smtp().username());
        sender.setPassword(properties.smtp().password());
        sender.setDefaultEncoding("UTF-8");
        Properties mail = new Properties();
        mail.setProperty("mail.smtp.auth", Boolean.toString(properties.smtp().username() != null));
        mail.setProperty("mail.smtp.starttls.enable", "true");
        mail.setProperty(
                "mail.smtp.starttls.required",
                Boolean.toString(properties.smtp().starttlsRequired()));
        // a hanging mail server must not hold the consumer past its poll interval
        mail.setProperty("mail.smtp.connectiontimeout", "30000");
        mail.setProperty("mail.smtp.timeout", "30000");
        mail.setProperty("mail.smtp.writetimeout", "30000");
        sender.setJavaMailProperties(mail);
        return sender;
    }

    /** Compacted: only whether a notice was sent matters, for as long as its event can be redelivered. */
    @Bean
    NewTopic sentNotificationsTopic(PipelineKafkaProperties kafka) {
        return kafka.newTopic(
                SentNotifications.TOPIC, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    @Bean(destroyMethod = "close")
    SentNotifications sentNotifications(KafkaProperties kafka) {
        Map<String, Object> consumer =
                GrouplessReader.settings(kafka.buildConsumerProperties(), "sf1820-notifications-sent-reader");
        Map<String, Object> producer = new LinkedHashMap<>(kafka.buildProducerProperties());
        producer.put(ProducerConfig.ACKS_CONFIG, "all");
        producer.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, "sf1820-notifications-sent-writer");
        return new SentNotifications(
                new KafkaConsumer<>(consumer, new StringDeserializer(), new StringDeserializer()),
                new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer()),
                LEDGER_TIMEOUT);
    }

    /**
     * Raw values (the notifier decodes them itself: a dead letter's bytes are whatever failed), one
     * record at a time, offset committed after the listener returned; a failure (mail server down) is
     * retried without end instead of being skipped or dead-lettered, because a notice must not be lost
     * and the record itself is fine.
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<String, byte[]> notificationContainerFactory(KafkaProperties kafka) {
        Map<String, Object> config = new LinkedHashMap<>(kafka.buildConsumerProperties());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // dead-letter topics made after the start (a stage's retry DLT) are found within a minute
        config.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, 60_000);
        var factory = new ConcurrentKafkaListenerContainerFactory<String, byte[]>();
        factory.setConsumerFactory(
                new DefaultKafkaConsumerFactory<>(config, new StringDeserializer(), new ByteArrayDeserializer()));
        ExponentialBackOff backOff = new ExponentialBackOff(1_000, 2.0);
        backOff.setMaxInterval(60_000);
        factory.setCommonErrorHandler(new DefaultErrorHandler(backOff));
        factory.getContainerProperties().setAckMode(AckMode.RECORD);
        return factory;
    }

    @Bean
    OperatorNotifier operatorNotifier(
            SentNotifications ledger,
            JavaMailSenderImpl notificationMailSender,
            NotificationProperties properties,
            ObjectProvider<Clock> clock) {
        return new OperatorNotifier(ledger, notificationMailSender, properties, clock.getIfAvailable(Clock::systemUTC));
    }
}

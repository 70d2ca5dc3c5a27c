package dk.sf1820.app.audit;

import dk.sf1820.receipts.ReceiptTrackerProperties;
import java.time.Clock;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The audit trail reader for {@code ./sf1820 audit} and {@code status}, and their HTTP form
 * ({@code GET /transfers}, {@code GET /transfers/{id}/audit}) where the process serves HTTP.
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    /**
     * The audit judges "near the platform's deletion" as the receipt tracker does, by the tracker's own
     * settings, whether or not this process runs the tracker.
     */
    @Bean
    AuditTrail auditTrail(KafkaProperties kafka, Environment environment) {
        ReceiptTrackerProperties tracker =
                Binder.get(environment).bindOrCreate(ReceiptTrackerProperties.PREFIX, ReceiptTrackerProperties.class);
        return new AuditTrail(kafka.buildConsumerProperties(), tracker.deadlineWarningAfter());
    }

    /** Only where HTTP is served: the one-shot commands replay once and need no follower. */
    @Bean
    @ConditionalOnWebApplication
    TransferProjection transferProjection(AuditTrail auditTrail) {
        return new TransferProjection(auditTrail, Duration.ofSeconds(5));
    }

    @Bean
    @ConditionalOnWebApplication
    TransfersController transfersController(TransferProjection projection, ObjectProvider<Clock> clock) {
        return new TransfersController(projection, clock.getIfAvailable(Clock::systemUTC));
    }
}

package dk.sf1820.app.audit;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The audit trail reader for {@code ./sf1820 audit} and {@code status}, and their HTTP form
 * ({@code GET /transfers}, {@code GET /transfers/{id}/audit}) where the process serves HTTP.
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfiguration {

    @Bean
    AuditTrail auditTrail(KafkaProperties kafka) {
        return new AuditTrail(kafka.buildConsumerProperties());
    }

    @Bean
    @ConditionalOnWebApplication
    TransfersController transfersController(AuditTrail auditTrail, ObjectProvider<Clock> clock) {
        return new TransfersController(auditTrail, clock.getIfAvailable(Clock::systemUTC));
    }
}

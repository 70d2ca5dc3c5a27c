package dk.sf1820.app.console;

import dk.sf1820.app.audit.TransferProjection;
import dk.sf1820.kafka.EventPublisher;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The operator console served at {@code /} (static/index.html, reading {@code GET /transfers}) and its
 * actions, behind {@link ConsoleSecurity}.
 */
@Configuration(proxyBeanMethods = false)
@Import(ConsoleSecurity.class)
public class ConsoleConfiguration {

    @Bean
    @ConditionalOnWebApplication
    DeadLetters deadLetters(KafkaProperties kafka) {
        return new DeadLetters(kafka.buildConsumerProperties(), kafka.buildProducerProperties());
    }

    @Bean
    @ConditionalOnWebApplication
    ActionsController actionsController(
            TransferProjection projection,
            EventPublisher publisher,
            DeadLetters deadLetters,
            ObjectProvider<Clock> clock) {
        return new ActionsController(projection, publisher, deadLetters, clock.getIfAvailable(Clock::systemUTC));
    }
}

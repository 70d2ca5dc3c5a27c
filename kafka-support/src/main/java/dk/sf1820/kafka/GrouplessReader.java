package dk.sf1820.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * Settings for a consumer that reads topics as an auditor does, outside every consumer group: it assigns
 * partitions itself, commits nothing, and sees committed records only (an aborted transaction's records
 * would otherwise look like a second outcome). Built from the application's consumer settings, so the
 * cluster and how to be let in (TLS, SASL) are the same as every stage's.
 */
public final class GrouplessReader {

    private GrouplessReader() {}

    /**
     * @param consumerSettings the application's consumer settings (Spring Boot's
     *     {@code KafkaProperties.buildConsumerProperties()})
     * @param clientId the name the broker knows this reader by
     */
    public static Map<String, Object> settings(Map<String, Object> consumerSettings, String clientId) {
        Map<String, Object> settings = new HashMap<>(consumerSettings);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        return settings;
    }
}

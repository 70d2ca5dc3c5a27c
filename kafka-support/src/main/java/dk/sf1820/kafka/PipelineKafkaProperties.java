package dk.sf1820.kafka;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How the pipeline's topics are created and how a stage treats a record it cannot process.
 *
 * @param partitions partitions per topic; the upper bound of instances per stage
 * @param replicationFactor replicas per topic (1 for the embedded single broker, 3 in production)
 * @param minInsyncReplicas replicas that must have a record before an {@code acks=all} write succeeds
 *        (1 for a single broker, 2 with three replicas: one broker may be down without stopping writes)
 * @param retention how long topics keep events; they are the audit trail, so the default keeps them forever (-1)
 * @param retryInitial first pause before a failed record is processed again
 * @param retryMax longest pause between attempts
 * @param retryElapsed after this much time of failed attempts the record goes to the dead-letter topic
 * @param maxRecordSize the largest record a stage decodes; a larger one goes to the dead-letter topic unread
 *        (default 1 MB, Kafka's own default maximum message size)
 */
@Validated
@ConfigurationProperties("sf1820.kafka")
public record PipelineKafkaProperties(
        @DefaultValue("6") @Min(1) int partitions,
        @DefaultValue("1") @Min(1) short replicationFactor,
        @DefaultValue("1") @Min(1) int minInsyncReplicas,
        @DefaultValue("-1ms") Duration retention,
        @DefaultValue("1s") Duration retryInitial,
        @DefaultValue("1m") Duration retryMax,
        @DefaultValue("10m") Duration retryElapsed,
        @DefaultValue("1MB") DataSize maxRecordSize) {

    /** A topic with the pipeline's partitions, replication factor and {@code min.insync.replicas}, and {@code configs}. */
    public NewTopic newTopic(String name, Map<String, String> configs) {
        Map<String, String> all = new HashMap<>(configs);
        all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
        return new NewTopic(name, partitions, replicationFactor).configs(all);
    }
}

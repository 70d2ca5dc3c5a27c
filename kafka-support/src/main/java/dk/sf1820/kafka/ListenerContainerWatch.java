package dk.sf1820.kafka;

import org.springframework.context.ApplicationListener;
import org.springframework.kafka.event.ConsumerStoppedEvent;
import org.springframework.kafka.event.ConsumerStoppedEvent.Reason;

/**
 * Watches every listener container: a consumer that stops for any reason but a normal stop (an
 * {@link Error} such as OutOfMemoryError from one record, fencing, lost authorisation, no offset) leaves
 * its stage deaf for good, so the process must end and be restarted ({@link StageHalt}).
 */
public class ListenerContainerWatch implements ApplicationListener<ConsumerStoppedEvent> {

    private final StageHalt halt;

    public ListenerContainerWatch(StageHalt halt) {
        this.halt = halt;
    }

    @Override
    public void onApplicationEvent(ConsumerStoppedEvent event) {
        if (event.getReason() != Reason.NORMAL) {
            halt.cannotGoOn(containerName(event), "its Kafka consumer stopped, reason=" + event.getReason(), null);
        }
    }

    private static String containerName(ConsumerStoppedEvent event) {
        Object container = event.getContainer(Object.class);
        if (container instanceof org.springframework.kafka.listener.MessageListenerContainer listener) {
            return listener.getListenerId() != null ? listener.getListenerId() : String.valueOf(listener.getGroupId());
        }
        return String.valueOf(event.getSource());
    }
}

package dk.sf1820.app;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;

/** Runs the configured stages until the process is stopped (SIGTERM or Ctrl-C closes the context cleanly). */
final class RunCommand {

    private RunCommand() {
    }

    static int run(List<String> springArgs) {
        ConfigurableApplicationContext context = Sf1820Application.start(true, springArgs, Map.of());
        CountDownLatch closed = new CountDownLatch(1);
        context.addApplicationListener(event -> {
            if (event instanceof ContextClosedEvent) {
                closed.countDown();
            }
        });
        context.registerShutdownHook();
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}

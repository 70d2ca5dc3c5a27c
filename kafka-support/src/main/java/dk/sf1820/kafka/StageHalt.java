package dk.sf1820.kafka;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Ends the process when a stage cannot go on (a listener container or the Streams client died), so
 * that a supervisor restarts it instead of a live process that no longer consumes. It logs
 * {@code stage <name> cannot go on: <why>}, closes the application context and exits with
 * {@link #EXIT_CODE}. A stop during the application's own shutdown is not a failure.
 */
public class StageHalt implements ApplicationListener<ContextClosedEvent> {

    /** The process's exit status when a stage cannot go on (EX_SOFTWARE of sysexits.h). */
    public static final int EXIT_CODE = 70;

    private static final Logger log = LoggerFactory.getLogger(StageHalt.class);

    private final ApplicationContext context;
    private final IntConsumer processExit;
    private final AtomicReference<String> failure = new AtomicReference<>();
    private volatile boolean shuttingDown;

    /** @param processExit ends the JVM; {@code System::exit} outside tests */
    public StageHalt(ApplicationContext context, IntConsumer processExit) {
        this.context = context;
        this.processExit = processExit;
    }

    /** Reports the failure once and ends the process; returns at once (the exit runs on its own thread). */
    public void cannotGoOn(String stage, String why, Throwable cause) {
        if (shuttingDown) {
            log.info("stage={} stopped during shutdown: {}", stage, why);
            return;
        }
        if (!failure.compareAndSet(null, "stage " + stage + " cannot go on: " + why)) {
            return;
        }
        log.error(
                "stage {} cannot go on: {}; exiting with status={} so that it is restarted",
                stage,
                why,
                EXIT_CODE,
                cause);
        // not on the caller's thread: closing the context waits for that very container or Streams thread
        Thread exit = new Thread(
                () -> processExit.accept(SpringApplication.exit(context, () -> EXIT_CODE)), "sf1820-stage-halt");
        exit.start();
    }

    /** What stopped a stage, if one did: the process is on its way out. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }

    @Override
    public void onApplicationEvent(ContextClosedEvent event) {
        if (event.getApplicationContext() == context) {
            shuttingDown = true;
        }
    }
}

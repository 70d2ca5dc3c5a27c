package dk.sf1820.transporter;

import dk.sf1820.kafka.EventPublisher;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.avro.TransferStep;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.Consumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.core.ConsumerFactory;

/**
 * The transporter stage as its own process, for {@link TransporterCrashIT}: it halts the JVM (as
 * {@code kill -9} would: no shutdown hooks, no offset commit, no cleanup) the first time a transfer
 * reaches the step named by {@code crash.halt-at}, and runs normally once {@code crash.marker} exists.
 *
 * <p>Steps: {@code mid-upload} (part of the data file is on the server), {@code uploaded} (data file
 * complete, no trigger), {@code data-uploaded} (just after the ledger sent {@code DATA_UPLOADED}, unawaited,
 * before {@code TRIGGERING} is recorded), {@code data-uploaded-lost} (the same point, with the {@code DATA_UPLOADED}
 * record lost: never sent), {@code triggered} (trigger renamed, no event), {@code published}
 * (event acknowledged, offset not committed), {@code none}.
 */
public final class CrashingTransporter {

    private CrashingTransporter() {}

    public static void main(String[] args) {
        new SpringApplicationBuilder(ChildApp.class)
                .web(WebApplicationType.NONE)
                .run(args);
    }

    /** Halts once, at the chosen step, and leaves the marker so the restarted process carries on. */
    static final class HaltingObserver implements TransferObserver {

        private final String haltAt;
        private final Path marker;
        private final Path platformOut;

        HaltingObserver(String haltAt, Path marker, Path platformOut) {
            this.haltAt = haltAt;
            this.marker = marker;
            this.platformOut = platformOut;
        }

        @Override
        public void uploading(PackageReady event, RemoteFiles files) {
            if (!armed("mid-upload")) {
                return;
            }
            // Watch the server's side of the stream and halt as soon as part, not all, of it has arrived.
            Path remote = platformOut.resolve(event.getFileName());
            Thread watcher = new Thread(
                    () -> {
                        while (true) {
                            try {
                                long size = Files.exists(remote) ? Files.size(remote) : 0;
                                if (size > 0 && size < event.getSizeBytes()) {
                                    halt("mid-upload at " + size + " of " + event.getSizeBytes() + " bytes");
                                }
                            } catch (IOException ignored) {
                                // the file may be replaced while we look; look again
                            }
                            Thread.onSpinWait();
                        }
                    },
                    "crash-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }

        @Override
        public void uploaded(PackageReady event, RemoteFiles files, long bytes) {
            if (armed("uploaded")) {
                halt("after the data file, before the trigger");
            }
        }

        @Override
        public void triggered(PackageReady event, RemoteFiles files) {
            if (armed("triggered")) {
                halt("after the trigger, before TransferUploaded");
            }
        }

        @Override
        public void published(PackageReady event, TransferOutcome outcome) {
            if (armed("published")) {
                halt("after TransferUploaded, before the offset commit");
            }
        }

        boolean armed(String step) {
            return step.equals(haltAt) && !Files.exists(marker);
        }

        void halt(String where) {
            try {
                Files.writeString(marker, where);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            System.out.println("CRASH " + where);
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
    }

    /**
     * The ledger, halting right after it sent {@code DATA_UPLOADED} (not awaited: the record may be in the
     * producer's buffer or on the broker) and before {@code TRIGGERING} is recorded.
     */
    static final class HaltingLedger extends TransferProgressLedger {

        private final HaltingObserver halting;

        HaltingLedger(
                IntFunction<Consumer<String, SpecificRecordBase>> consumers,
                EventPublisher publisher,
                Duration catchUpTimeout,
                HaltingObserver halting) {
            super(consumers, publisher, Clock.systemUTC(), catchUpTimeout);
            this.halting = halting;
        }

        @Override
        public void note(PackageReady event, TransferStep step, long sizeBytes, int attempts, String detail) {
            if (step == TransferStep.DATA_UPLOADED && halting.armed("data-uploaded-lost")) {
                // the unawaited record died in the producer's buffer with the process: never on the broker
                halting.halt("before DATA_UPLOADED reached the broker, before TRIGGERING");
            }
            super.note(event, step, sizeBytes, attempts, detail);
            if (step == TransferStep.DATA_UPLOADED && halting.armed("data-uploaded")) {
                halting.halt("after DATA_UPLOADED was sent, before TRIGGERING");
            }
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(TransporterConfiguration.class)
    static class ChildApp {

        @Bean
        SftpAccounts sftpAccounts(
                @Value("${crash.user}") String user,
                @Value("${crash.port}") int port,
                @Value("${crash.key}") Path key,
                @Value("${crash.known-hosts}") Path knownHosts) {
            return new SftpAccounts(List.of(new SftpAccount(user, "127.0.0.1", port, key, null, knownHosts)));
        }

        @Bean
        HaltingObserver haltingObserver(
                @Value("${crash.halt-at}") String haltAt,
                @Value("${crash.marker}") Path marker,
                @Value("${crash.platform-out}") Path platformOut) {
            return new HaltingObserver(haltAt, marker, platformOut);
        }

        /** Takes the place of {@link TransporterConfiguration}'s ledger in {@link SftpTransporter}. */
        @Bean(destroyMethod = "close")
        @Primary
        HaltingLedger haltingLedger(
                ConsumerFactory<String, SpecificRecordBase> pipelineConsumerFactory,
                EventPublisher publisher,
                TransporterProperties properties,
                HaltingObserver halting) {
            return new HaltingLedger(
                    partition -> pipelineConsumerFactory.createConsumer(
                            null, "sf1820-transporter-progress-halting", "-" + partition),
                    publisher,
                    properties.progressTimeout(),
                    halting);
        }
    }
}

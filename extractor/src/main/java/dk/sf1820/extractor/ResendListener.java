package dk.sf1820.extractor;

import dk.sf1820.kafka.NonRetryableEventException;
import dk.sf1820.schemas.avro.ResendRequested;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import dk.sf1820.schemas.registry.ExtractSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.avro.specific.SpecificRecordBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.kafka.annotation.KafkaListener;

/**
 * Carries out an operator's resend of a failed transfer ({@code ResendRequested}, from the console): the
 * extract is taken back out of the failed transfer's package (the packager keeps a failed transfer's
 * package for its retention; the staged extract is gone by then) and goes the way every resend goes,
 * staged under a new transferId and announced with ExtractReady. A package no longer there, or not a
 * single-entry zip, is refused to the dead-letter topic with the reason. The new transferId is derived
 * from the action's eventId: the action delivered again (a crash after the staging, before the offset's
 * commit) adopts its own unannounced transfer or, announced, is passed over; it never delivers twice.
 */
class ResendListener {

    private static final Logger log = LoggerFactory.getLogger(ResendListener.class);

    private final ExtractStager stager;
    private final ExtractSubmitter submitter;

    ResendListener(ExtractStager stager, ExtractSubmitter submitter) {
        this.stager = stager;
        this.submitter = submitter;
    }

    @KafkaListener(
            id = "sf1820-extractor-resend",
            groupId = "sf1820-extractor-resend",
            topics = "#{T(dk.sf1820.schemas.Topics).OPERATOR_ACTIONS.name()}")
    void onAction(SpecificRecordBase event) {
        if (!(event instanceof ResendRequested resend)) {
            return; // a dead letter's replay is the console's own business
        }
        try (var ignored = MDC.putCloseable("transferId", resend.getTransferId())) {
            // Derived from the action, so a redelivery (a crash before the offset's commit) finds its own transfer.
            String resendTransferId = TransferIds.ofResendAction(resend.getEventId());
            if (stager.isPublished(resendTransferId)) {
                alreadyCarriedOut(resend, resendTransferId);
                return;
            }
            Path zip = packageOf(resend);
            StagedExtract staged;
            try (ZipFile file = new ZipFile(zip.toFile())) {
                ZipEntry entry = singleEntry(file, zip);
                staged = stager.stageResend(
                                resendTransferId,
                                resend.getFagsystem(),
                                resend.getAuthority(),
                                resend.getPeriod(),
                                resend.getOriginalFileName(),
                                source(resend.getSource()),
                                "resend of " + resend.getTransferId() + " asked by " + resend.getRequestedBy()
                                        + " (action " + resend.getEventId() + ")",
                                out -> {
                                    try (InputStream in = file.getInputStream(entry)) {
                                        return in.transferTo(out);
                                    }
                                })
                        .extract();
            } catch (DuplicateExtractException e) {
                alreadyCarriedOut(resend, resendTransferId); // announced meanwhile, by the announcer
                return;
            } catch (IOException e) {
                throw new NonRetryableEventException(
                        "resend of " + resend.getTransferId() + ": package " + zip + " cannot be read: "
                                + e.getMessage(),
                        e);
            } catch (ExtractRefusedException e) {
                throw new NonRetryableEventException(
                        "resend of " + resend.getTransferId() + " refused: " + e.getMessage(), e);
            }
            log.info(
                    "resend staged transferId={} resendTransferId={} requestedBy={} reason=\"{}\"",
                    resend.getTransferId(),
                    staged.ref().transferId(),
                    resend.getRequestedBy(),
                    resend.getReason());
            submitter.announce(staged);
        }
    }

    private static void alreadyCarriedOut(ResendRequested resend, String resendTransferId) {
        log.info(
                "resend carried out already, not delivered twice transferId={} resendTransferId={} actionEventId={}",
                resend.getTransferId(),
                resendTransferId,
                resend.getEventId());
    }

    private static Path packageOf(ResendRequested resend) {
        Path zip;
        try {
            URI ref = URI.create(resend.getPackageRef());
            zip = "file".equals(ref.getScheme()) ? Path.of(ref) : Path.of(resend.getPackageRef());
        } catch (IllegalArgumentException e) {
            throw new NonRetryableEventException(
                    "resend of " + resend.getTransferId() + ": packageRef '" + resend.getPackageRef()
                            + "' is neither a file URI nor a path",
                    e);
        }
        if (!Files.isRegularFile(zip)) {
            throw new NonRetryableEventException("resend of " + resend.getTransferId() + ": its package " + zip
                    + " is gone (deleted after sf1820.packager.package-retention?); submit the extract again with"
                    + " --resend");
        }
        return zip;
    }

    private static ZipEntry singleEntry(ZipFile file, Path zip) {
        Enumeration<? extends ZipEntry> entries = file.entries();
        if (!entries.hasMoreElements()) {
            throw new NonRetryableEventException(zip + " holds no entry");
        }
        ZipEntry entry = entries.nextElement();
        if (entries.hasMoreElements() || entry.isDirectory()) {
            throw new NonRetryableEventException(zip + " is not a single-entry zip as the packager writes them");
        }
        return entry;
    }

    private static ExtractSource source(String value) {
        try {
            return ExtractSource.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new NonRetryableEventException(
                    "ResendRequested.source '" + value + "' is none of submit," + " drop-folder, query", e);
        }
    }
}

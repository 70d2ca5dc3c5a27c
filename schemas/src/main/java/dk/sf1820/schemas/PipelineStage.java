package dk.sf1820.schemas;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The stages of the pipeline, in the order a transfer passes them: the one list of them. A process
 * runs any set of them ({@code sf1820.stages}, all by default), and each {@link Topic} names the stage
 * that writes it.
 */
public enum PipelineStage {
    EXTRACTOR("extractor"),
    PACKAGER("packager"),
    TRANSPORTER("transporter"),
    RECEIPT_TRACKER("receipt-tracker"),
    DST_RECEIVER("dst-receiver"),
    /** Mails the operator when a delivery needs attention; sends nothing unless sf1820.notifications.enabled. */
    NOTIFIER("notifier");

    private final String key;

    PipelineStage(String key) {
        this.key = key;
    }

    /** The stage's name in settings and logs, e.g. {@code receipt-tracker}. */
    public String key() {
        return key;
    }

    /**
     * The stage of this name, case and surrounding blanks ignored.
     *
     * @throws IllegalArgumentException naming the known stages for an unknown name
     */
    public static PipelineStage of(String key) {
        String wanted = key.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(s -> s.key.equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown stage '" + key + "'; known: "
                        + Arrays.stream(values()).map(PipelineStage::key).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return key;
    }
}

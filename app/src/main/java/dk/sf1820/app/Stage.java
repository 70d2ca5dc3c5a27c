package dk.sf1820.app;

import dk.sf1820.app.notifications.NotificationConfiguration;
import dk.sf1820.dst.DstReceiverConfiguration;
import dk.sf1820.extractor.ExtractorConfiguration;
import dk.sf1820.packager.PackagerConfiguration;
import dk.sf1820.receipts.ReceiptTrackerConfiguration;
import dk.sf1820.transporter.TransporterConfiguration;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The stages one sf1820 process can run; {@code sf1820.stages} picks them (all by default). */
public enum Stage {
    EXTRACTOR("extractor", ExtractorConfiguration.class),
    PACKAGER("packager", PackagerConfiguration.class),
    TRANSPORTER("transporter", TransporterConfiguration.class),
    RECEIPT_TRACKER("receipt-tracker", ReceiptTrackerConfiguration.class),
    DST_RECEIVER("dst-receiver", DstReceiverConfiguration.class),
    /** Mails the operator when a delivery needs attention; sends nothing unless sf1820.notifications.enabled. */
    NOTIFIER("notifier", NotificationConfiguration.class);

    private final String key;
    private final Class<?> configuration;

    Stage(String key, Class<?> configuration) {
        this.key = key;
        this.configuration = configuration;
    }

    public String key() {
        return key;
    }

    Class<?> configuration() {
        return configuration;
    }

    /**
     * @throws IllegalArgumentException naming the property and the known stages for an unknown name
     */
    public static Stage of(String key) {
        String wanted = key.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.key.equals(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("sf1820.stages: unknown stage '" + key + "'; known: "
                        + Arrays.stream(values()).map(Stage::key).collect(Collectors.joining(", "))));
    }
}

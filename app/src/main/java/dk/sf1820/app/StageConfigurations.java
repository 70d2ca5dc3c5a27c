package dk.sf1820.app;

import dk.sf1820.app.notifications.NotificationConfiguration;
import dk.sf1820.dst.DstReceiverConfiguration;
import dk.sf1820.extractor.ExtractorConfiguration;
import dk.sf1820.packager.PackagerConfiguration;
import dk.sf1820.receipts.ReceiptTrackerConfiguration;
import dk.sf1820.schemas.PipelineStage;
import dk.sf1820.transporter.TransporterConfiguration;

/** The Spring configuration of each stage; the switch has no default, so a new stage cannot go unwired. */
final class StageConfigurations {

    private StageConfigurations() {}

    static Class<?> of(PipelineStage stage) {
        return switch (stage) {
            case EXTRACTOR -> ExtractorConfiguration.class;
            case PACKAGER -> PackagerConfiguration.class;
            case TRANSPORTER -> TransporterConfiguration.class;
            case RECEIPT_TRACKER -> ReceiptTrackerConfiguration.class;
            case DST_RECEIVER -> DstReceiverConfiguration.class;
            case NOTIFIER -> NotificationConfiguration.class;
        };
    }
}

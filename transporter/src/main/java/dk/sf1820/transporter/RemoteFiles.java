package dk.sf1820.transporter;

import dk.sf1820.schemas.registry.DataFileName;

/**
 * The remote paths one transfer touches in the sender's home.
 *
 * @param data the data file in OUT
 * @param trigger the trigger in OUT, {@code <data>.trigger}; its appearance hands the file to the platform
 * @param triggerInProgress the name the trigger is written under before the rename
 * @param receipt where the platform writes its technical receipt, {@code IN/<file>.sftpreceipt}
 */
public record RemoteFiles(String data, String trigger, String triggerInProgress, String receipt) {

    static RemoteFiles of(TransporterProperties properties, String fileName) {
        String data = join(properties.outDir(), fileName);
        String trigger = data + DataFileName.TRIGGER_SUFFIX;
        return new RemoteFiles(
                data,
                trigger,
                trigger + properties.triggerTempSuffix(),
                join(properties.inDir(), fileName + DataFileName.RECEIPT_SUFFIX));
    }

    private static String join(String dir, String name) {
        return (dir.endsWith("/") ? dir : dir + "/") + name;
    }
}

package dk.sf1820.receipts;

import dk.sf1820.schemas.sftp.PlatformFolders;

/**
 * The sender's folders on the platform, as configured ({@code sf1820.receipt-tracker.out-dir} and
 * {@code in-dir}, which the app takes from the transporter's): the tracker sweeps and polls exactly
 * where the transporter uploads and the platform answers.
 *
 * @param out where data files and triggers lie
 * @param in where the platform writes receipts
 */
public record SenderFolders(String out, String in) {

    /** The platform's own folders, {@code /OUT} and {@code /IN}. */
    public static final SenderFolders DEFAULT = new SenderFolders(PlatformFolders.OUT, PlatformFolders.IN);

    public String inOut(String name) {
        return PlatformFolders.resolve(out, name);
    }

    public String inIn(String name) {
        return PlatformFolders.resolve(in, name);
    }
}

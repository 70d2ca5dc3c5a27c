package dk.sf1820.schemas.sftp;

/**
 * The folders every user has in its home on the Serviceplatform (SF1820 section 3), as the SFTP user
 * sees them: a sender puts data file and trigger in {@code OUT} and finds its receipts in {@code IN};
 * a recipient finds delivered files in {@code IN}. The stages' {@code out-dir}/{@code in-dir} settings
 * default to these; the app hands the transporter's settings to the receipt tracker, so both always
 * look at the same folders.
 */
public final class PlatformFolders {

    /** The user's outgoing folder. */
    public static final String OUT = "/OUT";
    /** The user's incoming folder. */
    public static final String IN = "/IN";
    /** What a folder setting must look like: an absolute SFTP path. */
    public static final String ABSOLUTE = "/.*";

    private PlatformFolders() {}

    /** The path of a file in a folder, whether the folder was configured with a trailing slash or not. */
    public static String resolve(String folder, String name) {
        return folder.endsWith("/") ? folder + name : folder + "/" + name;
    }
}

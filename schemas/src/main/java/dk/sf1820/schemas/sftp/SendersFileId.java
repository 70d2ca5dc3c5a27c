package dk.sf1820.schemas.sftp;

import java.util.regex.Pattern;

/**
 * The transferId that names a transfer everywhere: the key of its events, its staging directory, and
 * the {@code SendersFileId} of its trigger. sf1820 makes it a lower-case UUID, the contract's
 * {@code UUID} type ({@code sftp-contract.xsd}), so it is safe as a directory name and any platform
 * field typed UUID accepts it.
 */
public final class SendersFileId {

    /** The contract's {@code UUID} pattern, as in {@code sftp-contract.xsd}. */
    public static final String PATTERN = "[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}";

    private static final Pattern FORM = Pattern.compile(PATTERN);

    private SendersFileId() {}

    /** Whether a transferId has the form sf1820 gives every transferId (a lower-case UUID). */
    public static boolean isWellFormed(String transferId) {
        return transferId != null && FORM.matcher(transferId).matches();
    }
}

package dk.sf1820.extractor;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The transferId (SendersFileId) of an extract. It is derived from what the extract is, not from
 * when it arrived: the same content for the same fagsystem, authority and period always gets the
 * same id, so a second submission of one extract can be recognised as a duplicate.
 */
public final class TransferIds {

    private TransferIds() {}

    /**
     * A name-based (version 3) UUID, lower case as the SFTP contract's UUID pattern requires.
     *
     * @param fagsystem the registry's fagsystem code, e.g. {@code KSD}
     * @param authority the four-digit municipality code
     * @param period the parsed period
     * @param sha256 lower-case hex SHA-256 of the extract's content
     */
    public static String of(String fagsystem, String authority, String period, String sha256) {
        return of(fagsystem, authority, period, sha256, 0);
    }

    /**
     * The id of a deliberate re-delivery: the same extract sent again on purpose must not carry the
     * SendersFileId of its earlier delivery, yet stays reproducible (resend 1, 2, … of one extract).
     *
     * @param resend 0 for the first delivery, n for the n-th resend
     */
    public static String of(String fagsystem, String authority, String period, String sha256, int resend) {
        if (resend < 0) {
            throw new IllegalArgumentException("resend must be 0 or more, was " + resend);
        }
        // The separator keeps ("KS", "D0561") and ("KSD", "0561") apart.
        String name = String.join("|", "sf1820", fagsystem, authority, period, sha256);
        if (resend > 0) {
            name += "|resend|" + resend;
        }
        return uuid(name);
    }

    /**
     * The id of the resend an operator's action asked for, derived from the action's own id: the action
     * carried out twice (redelivered after a crash before its offset was committed) names one transfer,
     * not two.
     *
     * @param actionId the eventId of the {@code ResendRequested}
     */
    public static String ofResendAction(String actionId) {
        return uuid(String.join("|", "sf1820", "resend-action", actionId));
    }

    private static String uuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}

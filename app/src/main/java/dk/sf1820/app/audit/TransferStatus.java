package dk.sf1820.app.audit;

import java.time.Instant;

/**
 * One transfer's current state, as {@code ./sf1820 status} and {@code GET /transfers} show it.
 *
 * @param attention why an operator should look at it (failed, timed out, dead-lettered, near the
 *        platform's 30-day deletion), or null
 */
public record TransferStatus(
        String transferId,
        String fagsystem,
        String authority,
        String period,
        String fileName,
        TransferState state,
        Instant since,
        String attention) {

    public boolean needsAttention() {
        return attention != null;
    }
}

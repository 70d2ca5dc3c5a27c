package dk.sf1820.extractor;

/**
 * A queried period is claimed by a transfer whose extract was never staged: another instance may be staging it
 * this very moment, or a process stopped between claiming the period and staging the copy. It is neither
 * delivered nor refused: the run is tried again later, and once the claim is older than
 * {@link PeriodClaims#ABANDONED} the run takes the period over. (Treated as a duplicate, the period would
 * be given up for good whenever the claiming process had died.)
 */
public class PeriodClaimPendingException extends RuntimeException {

    private final String claimingTransferId;

    public PeriodClaimPendingException(String claimingTransferId, String message) {
        super(message);
        this.claimingTransferId = claimingTransferId;
    }

    /** The transferId that holds the period's claim. */
    public String claimingTransferId() {
        return claimingTransferId;
    }
}

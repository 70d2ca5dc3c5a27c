package dk.sf1820.receipts.ownership;

/**
 * Which sender accounts this instance does the duties of: polling their IN, sweeping their OUT and
 * reporting their files near the platform's deadline. With several tracker instances each sender
 * has exactly one owner at a time, so a receipt is read, published and deleted by one instance only.
 */
public interface SenderOwnership {

    /** A duty on one sender's folders. */
    @FunctionalInterface
    interface Duty<E extends Exception> {
        void run() throws E;
    }

    /** False until this instance knows which senders it owns (and what their earlier owners did). */
    boolean ready();

    /**
     * Runs {@code duty} if this instance owns {@code sender} now. Ownership does not move away while
     * the duty runs: a rebalance that takes the sender away waits for it.
     *
     * @return whether the duty ran
     */
    <E extends Exception> boolean runIfOwned(String sender, Duty<E> duty) throws E;

    /** Whether the once-only duty {@code key} (e.g. a file version's deadline report) was done for {@code sender}, by any owner. */
    boolean done(String sender, String key);

    /** Records the once-only duty {@code key} as done, for this and every later owner of {@code sender}. */
    void markDone(String sender, String key);
}

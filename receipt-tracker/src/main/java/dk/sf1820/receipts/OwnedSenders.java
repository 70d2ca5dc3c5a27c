package dk.sf1820.receipts;

import dk.sf1820.receipts.ownership.SenderOwnership;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sender accounts this tracker serves, and the round that does a duty (a poll of IN, a sweep of the
 * folders) on each of them this instance owns ({@link SenderOwnership}). One sender's failure, an
 * unreachable account say, is logged and reported and does not hold up the others.
 */
public final class OwnedSenders {

    private static final Logger log = LoggerFactory.getLogger(OwnedSenders.class);

    /** A duty on one sender's folders. */
    @FunctionalInterface
    public interface Duty {
        void run(SftpAccount sender) throws SftpException;
    }

    /**
     * What one round did.
     *
     * @param done the senders whose duty ran, this instance being their owner
     * @param failed the owned senders whose duty failed, with the reason
     */
    public record Round(List<String> done, Map<String, String> failed) {}

    private final List<SftpAccount> accounts;
    private final SenderOwnership ownership;

    public OwnedSenders(List<SftpAccount> accounts, SenderOwnership ownership) {
        this.accounts = List.copyOf(accounts);
        this.ownership = ownership;
    }

    /** Every sender account this tracker serves, owned by this instance or not. */
    public List<SftpAccount> accounts() {
        return accounts;
    }

    /** The SFTP users of {@link #accounts()}. */
    public List<String> users() {
        return accounts.stream().map(SftpAccount::user).toList();
    }

    /** Which senders this instance owns, and which once-only duties were done for them. */
    public SenderOwnership ownership() {
        return ownership;
    }

    /** False until this instance knows which senders it owns. */
    public boolean ready() {
        return ownership.ready();
    }

    /**
     * Does {@code duty} on each sender this instance owns now, one after the other.
     *
     * @param round names the round in the log line of a sender that failed, e.g. {@code receipt poll}
     */
    public Round forEachOwned(String round, Duty duty) {
        List<String> done = new ArrayList<>();
        Map<String, String> failed = new TreeMap<>();
        for (SftpAccount sender : accounts) {
            try {
                if (ownership.runIfOwned(sender.user(), () -> duty.run(sender))) {
                    done.add(sender.user());
                }
            } catch (SftpException | RuntimeException e) {
                log.warn("{} failed sender={} server={}: {}", round, sender.user(), sender.server(), e.getMessage());
                failed.put(sender.user(), e.getMessage());
            }
        }
        return new Round(List.copyOf(done), Collections.unmodifiableMap(failed));
    }
}

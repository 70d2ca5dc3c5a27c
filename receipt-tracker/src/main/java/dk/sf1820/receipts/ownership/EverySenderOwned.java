package dk.sf1820.receipts.ownership;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code ownership.mode=all}: this instance does the duties of every sender it is configured with,
 * and remembers once-only duties for as long as it runs. Right for one instance, or for instances
 * given disjoint {@code senders} by hand.
 */
public class EverySenderOwned implements SenderOwnership {

    private final Set<String> done = ConcurrentHashMap.newKeySet();

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public <E extends Exception> boolean runIfOwned(String sender, Duty<E> duty) throws E {
        duty.run();
        return true;
    }

    @Override
    public boolean done(String sender, String key) {
        return done.contains(DutyMarkers.key(sender, key));
    }

    @Override
    public void markDone(String sender, String key) {
        done.add(DutyMarkers.key(sender, key));
    }
}

package dk.sf1820.app;

import dk.sf1820.dst.DstReceiverObserver;
import dk.sf1820.dst.ReceivedFile;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What DST received in a test's pipeline, by SendersFileId (the transferId): the outcome an IT awaits.
 * It is a source of the test's context ({@link TestPipeline}), so each context records its own.
 */
public class ReceivedAtDst implements DstReceiverObserver {

    private final Map<String, List<ReceivedFile>> files = new ConcurrentHashMap<>();

    @Override
    public void received(ReceivedFile file) {
        files.computeIfAbsent(file.sendersFileId(), id -> new CopyOnWriteArrayList<>())
                .add(file);
    }

    boolean containsAll(Collection<String> transferIds) {
        return files.keySet().containsAll(transferIds);
    }

    boolean contains(String transferId) {
        return files.containsKey(transferId);
    }

    /** The first file DST received for the transfer, or null. */
    ReceivedFile get(String transferId) {
        List<ReceivedFile> received = files.get(transferId);
        return received == null ? null : received.get(0);
    }

    /** Every file DST received for the transfer: more than one is a duplicate delivery. */
    List<ReceivedFile> all(String transferId) {
        return files.getOrDefault(transferId, List.of());
    }
}

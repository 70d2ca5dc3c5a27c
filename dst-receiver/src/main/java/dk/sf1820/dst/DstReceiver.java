package dk.sf1820.dst;

import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.sftp.FileTypes;
import dk.sf1820.schemas.sftp.Metadata;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.sftp.SftpXmlException;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpConnection;
import dk.sf1820.sftp.SftpConnector;
import dk.sf1820.sftp.SftpException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Danmarks Statistik's side of SF1820 (EP_DST1 Dataudtraek_Hent): for every {@code <file>.metadata}
 * in the recipient's IN, fetch {@code <file>}, check it, store it, and only then delete both from IN.
 *
 * <p>A file is stored under its final name only after it is complete and whole, so whatever reads
 * the store never sees half a file; IN is cleaned only after that, so a crash at any point leaves
 * the delivery on the server to be fetched again. A file that fails a check is kept aside with the
 * reason, never dropped.
 */
public class DstReceiver {

    private static final Logger log = LoggerFactory.getLogger(DstReceiver.class);
    /** A metadata file is a few hundred bytes; anything this large is not one and is not read into memory. */
    static final long MAX_METADATA_BYTES = 1024 * 1024;

    private final SftpConnector connector;
    private final SftpAccount account;
    private final String inDir;
    private final Set<String> expectedSenders;
    private final Path storeDir;
    private final RejectedFolder rejected;
    private final List<DstReceiverObserver> listeners;
    private final Clock clock;

    public DstReceiver(
            SftpConnector connector,
            SftpAccount account,
            DstReceiverProperties properties,
            Set<String> expectedSenders,
            List<DstReceiverObserver> listeners,
            Clock clock) {
        this.connector = connector;
        this.account = account;
        this.inDir = properties.inDir().endsWith("/") ? properties.inDir() : properties.inDir() + "/";
        this.expectedSenders = Set.copyOf(expectedSenders);
        this.storeDir = properties.storeDir();
        this.rejected = new RejectedFolder(properties.rejectedDir());
        this.listeners = List.copyOf(listeners);
        this.clock = clock;
    }

    /**
     * Fetches everything delivered so far, one connection for the whole round.
     *
     * @return one result per delivery handled, in file-name order; a metadata file whose data file is
     *         not there yet is left for the next round and yields no result
     * @throws SftpException when the server cannot be reached or a transfer breaks off; what was
     *         handled before stays handled, the rest is fetched next round
     */
    public synchronized List<FetchResult> pollOnce() throws SftpException {
        List<FetchResult> results = new ArrayList<>();
        try (SftpConnection sftp = connector.open(account)) {
            List<String> metadataFiles = sftp.list(inDir).stream()
                    .filter(name -> name.endsWith(DataFileName.METADATA_SUFFIX))
                    .sorted()
                    .toList();
            for (String metadataFile : metadataFiles) {
                String fileName =
                        metadataFile.substring(0, metadataFile.length() - DataFileName.METADATA_SUFFIX.length());
                fetch(sftp, fileName).ifPresent(result -> {
                    results.add(result);
                    report(result);
                });
            }
        }
        return results;
    }

    private Optional<FetchResult> fetch(SftpConnection sftp, String fileName) throws SftpException {
        Delivery delivery = new Delivery(inDir + fileName, inDir + fileName + DataFileName.METADATA_SUFFIX);
        long metadataSize = sftp.size(delivery.metadataPath()).orElse(0);
        if (metadataSize > MAX_METADATA_BYTES) {
            return Optional.of(rejectOversizedMetadata(sftp, delivery, fileName, metadataSize));
        }
        byte[] metadataBytes = sftp.read(delivery.metadataPath());
        Metadata metadata;
        try {
            metadata = SftpXml.readMetadata(new ByteArrayInputStream(metadataBytes), delivery.metadataPath());
        } catch (SftpXmlException e) {
            return Optional.of(reject(
                    sftp, delivery, fileName, null, metadataBytes, "metadata cannot be read: " + e.getMessage()));
        }
        // the real platform's metadata may lack SendersFileId (it is optional): the file name then names the transfer
        try (var ignored = MDC.putCloseable("transferId", metadata.transferId())) {
            Optional<String> refusal = refusal(fileName, metadata, delivery);
            if (refusal.isPresent()) {
                return Optional.of(reject(sftp, delivery, fileName, metadata, metadataBytes, refusal.get()));
            }
            Path stored = storeDir.resolve(metadata.sender()).resolve(fileName);
            if (!sftp.exists(delivery.dataPath())) {
                return finishEarlierFetch(sftp, delivery, metadata, stored);
            }
            return Optional.of(download(sftp, delivery, metadata, metadataBytes, stored));
        }
    }

    /** Why a delivery is refused before its data is looked at, if it is. */
    private Optional<String> refusal(String fileName, Metadata metadata, Delivery delivery) {
        Optional<String> badName = DataFileName.violation(fileName);
        if (badName.isPresent()) {
            return badName;
        }
        if (!fileName.equals(metadata.fileName())) {
            return Optional.of(delivery.metadataPath() + ": FileDescriptor/FileName is '" + metadata.fileName()
                    + "' but the metadata belongs to '" + fileName + "'");
        }
        if (!metadata.fileDescriptor().getRecipients().contains(account.user())) {
            return Optional.of(delivery.metadataPath() + ": FileDescriptor/Recipients "
                    + metadata.fileDescriptor().getRecipients() + " does not name this recipient " + account.user());
        }
        if (!expectedSenders.contains(metadata.sender())) {
            return Optional.of(delivery.metadataPath() + ": FileDescriptor/Sender '" + metadata.sender()
                    + "' is not an expected sender (sf1820.dst-receiver.expected-senders: "
                    + String.join(", ", expectedSenders.stream().sorted().toList()) + ")");
        }
        return Optional.empty();
    }

    /**
     * The metadata is there but the data file is not. If this file was stored already, an earlier
     * round stopped between deleting the data file and the metadata: finish the cleanup. Otherwise
     * the platform has not finished delivering; look again next round.
     */
    private Optional<FetchResult> finishEarlierFetch(
            SftpConnection sftp, Delivery delivery, Metadata metadata, Path stored) throws SftpException {
        if (Files.exists(stored)) {
            sftp.delete(delivery.metadataPath());
            log.info(
                    "finished cleanup of an earlier fetch file={} fileTransferUUID={} sendersFileId={}",
                    metadata.fileName(),
                    metadata.fileTransferUUID(),
                    metadata.sendersFileId());
        } else {
            log.warn(
                    "metadata without data file, will look again file={} fileTransferUUID={} sendersFileId={}",
                    metadata.fileName(),
                    metadata.fileTransferUUID(),
                    metadata.sendersFileId());
        }
        return Optional.empty();
    }

    private FetchResult download(
            SftpConnection sftp, Delivery delivery, Metadata metadata, byte[] metadataBytes, Path stored)
            throws SftpException {
        String fileName = metadata.fileName();
        try {
            Files.createDirectories(stored.getParent());
            Path part = stored.resolveSibling(fileName + ".part");
            fetchInto(sftp, delivery.dataPath(), part);
            Optional<String> problem = contentProblem(part, metadata, delivery);
            if (problem.isEmpty()) {
                problem = store(part, stored);
            }
            if (problem.isPresent()) {
                return keepRejected(sftp, delivery, fileName, metadata, metadataBytes, part, problem.get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store " + fileName + " under " + stored.getParent(), e);
        }
        sftp.delete(delivery.dataPath());
        sftp.delete(delivery.metadataPath());
        ReceivedFile received = new ReceivedFile(
                fileName,
                metadata.sender(),
                metadata.fileTransferUUID(),
                metadata.sendersFileId(),
                FileTypes.of(metadata.fileContentDescriptor()).orElse(null),
                metadata.sizeInBytes(),
                stored);
        log.info(
                "received file={} sender={} bytes={} fileTransferUUID={} sendersFileId={} storedAt={}",
                fileName,
                metadata.sender(),
                metadata.sizeInBytes(),
                metadata.fileTransferUUID(),
                metadata.sendersFileId(),
                stored);
        return received;
    }

    private Optional<String> contentProblem(Path part, Metadata metadata, Delivery delivery) throws IOException {
        long size = Files.size(part);
        if (size != metadata.sizeInBytes()) {
            return Optional.of(delivery.dataPath() + " has " + size + " bytes but its metadata says SizeInBytes="
                    + metadata.sizeInBytes());
        }
        return ZipIntegrity.problem(part).map(p -> delivery.dataPath() + ": " + p);
    }

    /**
     * Moves the checked file to its final name in one step. The same name stored already means an
     * earlier round stored this delivery and stopped before cleaning IN; identical bytes confirm it.
     */
    private Optional<String> store(Path part, Path stored) throws IOException {
        if (Files.exists(stored)) {
            if (Files.mismatch(part, stored) == -1) {
                Files.delete(part);
                return Optional.empty();
            }
            return Optional.of(
                    "a different file named " + stored.getFileName() + " was received before and is kept at " + stored);
        }
        Files.move(part, stored, StandardCopyOption.ATOMIC_MOVE);
        return Optional.empty();
    }

    private FetchResult reject(
            SftpConnection sftp,
            Delivery delivery,
            String fileName,
            Metadata metadata,
            byte[] metadataBytes,
            String reason)
            throws SftpException {
        try {
            Path content = null;
            if (sftp.exists(delivery.dataPath())) {
                content = rejected.incoming(fileName);
                fetchInto(sftp, delivery.dataPath(), content);
            }
            return keepRejected(sftp, delivery, fileName, metadata, metadataBytes, content, reason);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep rejected " + fileName + " aside", e);
        }
    }

    private FetchResult rejectOversizedMetadata(SftpConnection sftp, Delivery delivery, String fileName, long size)
            throws SftpException {
        String reason = delivery.metadataPath() + " has " + size + " bytes, more than the " + MAX_METADATA_BYTES
                + " a metadata file can have; it was not parsed";
        try {
            Path metadata = rejected.incoming(fileName + DataFileName.METADATA_SUFFIX);
            fetchInto(sftp, delivery.metadataPath(), metadata);
            Path content = null;
            if (sftp.exists(delivery.dataPath())) {
                content = rejected.incoming(fileName);
                fetchInto(sftp, delivery.dataPath(), content);
            }
            Path kept = rejected.keep(
                    fileName,
                    content,
                    metadata,
                    RejectedFolder.reasonText(fileName, reason, clock.instant(), null, null, null));
            return cleanRejected(sftp, delivery, new RejectedFile(fileName, null, null, null, reason, kept));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep rejected " + fileName + " aside", e);
        }
    }

    private FetchResult keepRejected(
            SftpConnection sftp,
            Delivery delivery,
            String fileName,
            Metadata metadata,
            byte[] metadataBytes,
            Path content,
            String reason)
            throws IOException, SftpException {
        String sender = metadata == null ? null : metadata.sender();
        String uuid = metadata == null ? null : metadata.fileTransferUUID();
        String sendersFileId = metadata == null ? null : metadata.sendersFileId();
        Path kept = rejected.keep(
                fileName,
                content,
                metadataBytes,
                RejectedFolder.reasonText(fileName, reason, clock.instant(), sender, uuid, sendersFileId));
        return cleanRejected(sftp, delivery, new RejectedFile(fileName, sender, uuid, sendersFileId, reason, kept));
    }

    /** Removes a rejected delivery from IN once it is safely kept aside, so it is not fetched again. */
    private FetchResult cleanRejected(SftpConnection sftp, Delivery delivery, RejectedFile rejection)
            throws SftpException {
        sftp.delete(delivery.dataPath());
        sftp.delete(delivery.metadataPath());
        log.warn(
                "rejected file={} sender={} fileTransferUUID={} sendersFileId={} keptAt={} reason={}",
                rejection.fileName(),
                rejection.sender(),
                rejection.fileTransferUUID(),
                rejection.sendersFileId(),
                rejection.keptAt(),
                rejection.reason());
        return rejection;
    }

    private static void fetchInto(SftpConnection sftp, String remote, Path local) throws IOException, SftpException {
        try (OutputStream out = Files.newOutputStream(local)) {
            sftp.download(remote, out);
        }
    }

    private void report(FetchResult result) {
        for (DstReceiverObserver listener : listeners) {
            try {
                if (result instanceof ReceivedFile received) {
                    listener.received(received);
                } else if (result instanceof RejectedFile rejectedFile) {
                    listener.rejected(rejectedFile);
                }
            } catch (RuntimeException e) {
                // The file is stored (or kept aside) and gone from IN already; a listener's failure
                // must not stop the round or hide the file from the other listeners.
                log.error("listener {} failed on file={}", listener.getClass().getName(), result.fileName(), e);
            }
        }
    }

    /** The two remote files of one delivery. */
    private record Delivery(String dataPath, String metadataPath) {}
}

package dk.sf1820.transporter;

import dk.sf1820.schemas.avro.PackageReady;
import java.util.List;

/** Calls every observer in order; an exception from one aborts the step, as {@link TransferObserver} says. */
record CompositeTransferObserver(List<TransferObserver> observers) implements TransferObserver {

    CompositeTransferObserver {
        observers = List.copyOf(observers);
    }

    @Override
    public void uploading(PackageReady event, RemoteFiles files) {
        observers.forEach(o -> o.uploading(event, files));
    }

    @Override
    public void uploaded(PackageReady event, RemoteFiles files, long bytes) {
        observers.forEach(o -> o.uploaded(event, files, bytes));
    }

    @Override
    public void triggering(PackageReady event, RemoteFiles files) {
        observers.forEach(o -> o.triggering(event, files));
    }

    @Override
    public void triggered(PackageReady event, RemoteFiles files) {
        observers.forEach(o -> o.triggered(event, files));
    }

    @Override
    public void published(PackageReady event, TransferOutcome outcome) {
        observers.forEach(o -> o.published(event, outcome));
    }

    @Override
    public void alreadyTriggered(PackageReady event, RemoteFiles files, String evidence) {
        observers.forEach(o -> o.alreadyTriggered(event, files, evidence));
    }
}

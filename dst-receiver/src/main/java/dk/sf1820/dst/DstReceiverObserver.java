package dk.sf1820.dst;

/**
 * Told about every file the receiver handled, after the fact: a received file is stored and gone
 * from IN, a rejected one is kept aside. A file can be reported twice if the receiver stopped between
 * storing it and cleaning IN, so an implementation should be idempotent on {@code fileTransferUUID}.
 */
public interface DstReceiverObserver {

    default void received(ReceivedFile file) {}

    default void rejected(RejectedFile file) {}
}

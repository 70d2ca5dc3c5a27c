package dk.sf1820.transporter;

import dk.sf1820.kafka.NonRetryableEventException;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.sftp.SftpAccount;
import dk.sf1820.sftp.SftpAccounts;

/** The SFTP account a package is sent with: the one of the sender the event names. */
final class SenderAccount {

    private SenderAccount() {}

    /**
     * @throws NonRetryableEventException when this installation has no account for the sender; the
     *         event waits in the dead-letter topic until an operator configures one and replays it
     */
    static SftpAccount of(SftpAccounts accounts, PackageReady event) {
        try {
            return accounts.require(event.getSender());
        } catch (IllegalArgumentException e) {
            throw new NonRetryableEventException(
                    "PackageReady transferId=" + event.getTransferId() + ": " + e.getMessage(), e);
        }
    }
}

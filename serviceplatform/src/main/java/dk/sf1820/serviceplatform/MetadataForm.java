package dk.sf1820.serviceplatform;

/** The root element of the {@code .metadata} files the platform writes next to a delivered data file. */
public enum MetadataForm {

    /** The contract's {@code FileMetadata} root. */
    FILE_METADATA,

    /** The form seen in the field: root {@code Trigger} with {@code FileTransferUUID} as its first child. */
    TRIGGER
}

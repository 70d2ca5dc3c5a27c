package dk.sf1820.serviceplatform.scan;

/** The root element of the {@code .metadata} files the platform writes next to a delivered data file. */
public enum MetadataForm {

    /** The contract's {@code FileMetadata} root; an option, as clients written against the real platform expect {@link #TRIGGER}. */
    FILE_METADATA,

    /**
     * The default, the form the real platform writes: root {@code Trigger} with {@code FileTransferUUID}
     * as its first child. Public clients written against the real platform read only this one.
     */
    TRIGGER
}

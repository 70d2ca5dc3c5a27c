package dk.sf1820.dst;

/** What became of one delivered file: {@link ReceivedFile} or {@link RejectedFile}. */
public sealed interface FetchResult permits ReceivedFile, RejectedFile {

    /** The data file's name as the platform delivered it. */
    String fileName();
}

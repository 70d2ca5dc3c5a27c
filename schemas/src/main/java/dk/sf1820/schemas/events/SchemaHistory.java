package dk.sf1820.schemas.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Every released version of every event's schema, as kept in {@code src/main/avro/history/<Event>/v<N>.avsc}
 * and shipped in this jar under {@value #RESOURCE_ROOT}. The topics are kept for years as the audit
 * trail, so a record written by any released version must stay readable: a reader resolves it from the
 * version that wrote it (found by fingerprint) to its own. Each file is complete in itself (nested
 * records inlined), so any Avro library can parse it alone.
 */
public final class SchemaHistory {

    /** Where the history lies on the classpath: {@code <root><Event>/v1.avsc}, {@code v2.avsc} ... */
    public static final String RESOURCE_ROOT = "/dk/sf1820/schemas/avro/history/";

    /**
     * One released version of an event's schema.
     *
     * @param event the event's short name, e.g. ExtractReady
     * @param number the version, from 1 without gaps
     * @param schema the schema as released
     */
    public record Version(String event, int number, Schema schema) {

        /** The single-object encoding's fingerprint: how a record names the version that wrote it. */
        public long fingerprint() {
            return SchemaNormalization.parsingFingerprint64(schema);
        }

        /** e.g. {@code v2}. */
        public String label() {
            return "v" + number;
        }

        /** Where the version is kept in the repository, e.g. {@code history/ExtractReady/v2.avsc}. */
        public String file() {
            return "history/" + event + "/" + label() + ".avsc";
        }
    }

    private SchemaHistory() {}

    /** The released versions of an event's schema, oldest first; empty if none was ever released. */
    public static List<Version> of(String event) {
        List<Version> versions = new ArrayList<>();
        for (int number = 1; ; number++) {
            String resource = RESOURCE_ROOT + event + "/v" + number + ".avsc";
            try (InputStream in = SchemaHistory.class.getResourceAsStream(resource)) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Version(event, number, new Schema.Parser().parse(in)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read released schema " + resource + ": " + e.getMessage(), e);
            }
        }
    }
}

package dk.sf1820.schemas.events.tools;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * The values the committed fixtures hold: one plausible transfer, every field filled (a nullable field
 * with its value, not null, so reading it is proven too). Fields are filled by name, so the same table
 * serves every event and every version.
 */
public final class FixtureValues {

    public static final String TRANSFER_ID = "67e072ec-2db2-4c38-aeb1-a71c135ce566";
    public static final String FAGSYSTEM = "KSD";
    public static final String AUTHORITY = "0561";
    public static final String PERIOD = "M03";
    public static final Instant OCCURRED_AT = Instant.parse("2026-03-02T10:15:30Z");
    /** Every other timestamp: uploadedAt, lastModified. */
    public static final Instant LATER = Instant.parse("2026-03-02T10:16:00Z");

    public static final String FILE_NAME = "KSD_DST_0561_M03_20260302101530.zip";
    public static final String SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    public static final long SIZE_BYTES = 4096;
    public static final long ROW_COUNT = 120;
    public static final int ERROR_CODE = 301;

    private static final Map<String, Object> BY_NAME = Map.ofEntries(
            Map.entry("transferId", TRANSFER_ID),
            Map.entry("fagsystem", FAGSYSTEM),
            Map.entry("authority", AUTHORITY),
            Map.entry("period", PERIOD),
            Map.entry("stagedFile", "file:///var/lib/sf1820/staging/extracts/" + TRANSFER_ID + "/sygedage.csv"),
            Map.entry("originalFileName", "sygedage.csv"),
            Map.entry("sizeBytes", SIZE_BYTES),
            Map.entry("sha256", SHA256),
            Map.entry("rowCount", ROW_COUNT),
            Map.entry("dataset", "ksd-sygedagpenge"),
            Map.entry("source", "query"),
            Map.entry("encoding", "ISO-8859-1"),
            Map.entry("packageRef", "file:///var/lib/sf1820/staging/packages/" + FILE_NAME),
            Map.entry("fileName", FILE_NAME),
            Map.entry("sender", "KSD_SFTPSIMPEL"),
            Map.entry("recipients", List.of("DST-CEMOS-SFTPUsername")),
            Map.entry("contentType", "SF1820_KSD"),
            Map.entry("remoteDataPath", "/OUT/" + FILE_NAME),
            Map.entry("remoteTriggerPath", "/OUT/" + FILE_NAME + ".metadata"),
            Map.entry("durationMillis", 850L),
            Map.entry("server", "sftp.serviceplatformen.dk:22"),
            Map.entry("cause", "Connection refused"),
            Map.entry("attempts", 3),
            Map.entry("receiptPath", "/IN/" + FILE_NAME + ".sftpreceipt"),
            Map.entry("fileTransferUUID", "ca342b89-9c73-48e9-904a-1db31b32a60b"),
            Map.entry("success", false),
            Map.entry("correlatedBy", "SendersFileId"),
            Map.entry("waitedMillis", 86_400_000L),
            Map.entry("action", "FAILED_DATA_FILE_DELETED"),
            Map.entry("path", "/OUT/" + FILE_NAME),
            Map.entry("detail", "deleted after the failure receipt"),
            Map.entry("outcome", "FAILED"),
            Map.entry("code", ERROR_CODE),
            Map.entry("codeDescription", "Size mismatch"),
            Map.entry("description", "SizeInBytes 4096, file has 4095"),
            Map.entry("recipient", "DST-CEMOS-SFTPUsername"),
            Map.entry("fileAcceptance", "REJECTED"),
            // one reason for every event that has one: a business receipt's, an operator's resend or replay
            Map.entry("reason", "the recipient could not read the file"),
            Map.entry("bytesDone", 1_048_576L),
            Map.entry("bytesTotal", SIZE_BYTES),
            Map.entry("requestedBy", "anna"),
            Map.entry("deadLetterTopic", "sf1820.package.ready.dlt"),
            Map.entry("deadLetterPartition", 2),
            Map.entry("deadLetterOffset", 17L),
            Map.entry("originalTopic", "sf1820.package.ready"));

    private FixtureValues() {}

    /** Each event's eventId: a UUID derived from its name, so every fixture has its own. */
    public static String eventId(String event) {
        return UUID.nameUUIDFromBytes(event.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The event filled in as the schema (of any version) describes it, in Avro's generic form. */
    public static GenericRecord record(Schema schema) {
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            record.put(field.pos(), value(schema.getName(), field.name(), field.schema()));
        }
        return record;
    }

    private static Object value(String event, String name, Schema schema) {
        if (schema.isUnion()) {
            Schema present = schema.getTypes().stream()
                    .filter(t -> t.getType() != Schema.Type.NULL)
                    .findFirst()
                    .orElseThrow();
            return value(event, name, present);
        }
        if (schema.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
            return (name.equals("occurredAt") ? OCCURRED_AT : LATER).toEpochMilli();
        }
        if (name.equals("eventId")) {
            return eventId(event);
        }
        return switch (schema.getType()) {
            case RECORD -> record(schema);
            case ARRAY ->
                name.equals("recipients") ? BY_NAME.get(name) : List.of(value(event, name, schema.getElementType()));
            case ENUM ->
                new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(0));
            default -> {
                Object known = BY_NAME.get(name);
                if (known == null) {
                    throw new IllegalStateException(
                            "no fixture value for " + event + "." + name + "; add one to FixtureValues");
                }
                yield known;
            }
        };
    }
}

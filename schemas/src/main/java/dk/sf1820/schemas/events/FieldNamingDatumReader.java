package dk.sf1820.schemas.events;

import java.io.EOFException;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.SystemLimitException;
import org.apache.avro.io.ResolvingDecoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Reads an event written with one version of its schema as the current version (Avro's schema
 * resolution: fields the writer lacked get their defaults, fields it had that are gone are skipped)
 * and, when its bytes are broken, says at which field ({@code errors.description}): Avro's own
 * exceptions name neither the field nor, for a short payload, anything at all.
 */
final class FieldNamingDatumReader<T> extends SpecificDatumReader<T> {

    FieldNamingDatumReader(Class<?> type, Schema schema) {
        this(type, schema, schema);
    }

    /**
     * @param writer the schema the record was written with, e.g. a released version found by fingerprint
     * @param reader the generated class's schema
     */
    FieldNamingDatumReader(Class<?> type, Schema writer, Schema reader) {
        super(writer, reader, modelWithoutFastReader(type));
    }

    /**
     * The generated class's own model (its logical-type conversions, e.g. timestamps to Instant, also
     * inside nullable unions) without Avro's fast reader, which would bypass {@link #readField}; events
     * are small, so the plain reader costs nothing.
     */
    private static SpecificData modelWithoutFastReader(Class<?> type) {
        SpecificData model = new SpecificData();
        SpecificData.getForClass(type).getConversions().forEach(model::addLogicalTypeConversion);
        model.setFastReaderEnabled(false);
        return model;
    }

    @Override
    protected void readField(Object record, Schema.Field field, Object oldDatum, ResolvingDecoder in, Object state)
            throws IOException {
        try {
            super.readField(record, field, oldDatum, in, state);
        } catch (FieldException e) {
            throw e.within(field.name());
        } catch (IOException | RuntimeException e) {
            throw new FieldException(field.name(), problem(e), e);
        }
    }

    private static String problem(Exception e) {
        if (e instanceof EOFException) {
            return "the payload ends before this field is complete (truncated record)";
        }
        if (e instanceof SystemLimitException) {
            return e.getMessage() + " (limits: "
                    + AvroDecodingLimits.describe(SystemLimitException.MAX_STRING_LENGTH_PROPERTY)
                    + ", " + AvroDecodingLimits.describe(SystemLimitException.MAX_BYTES_LENGTH_PROPERTY) + ", "
                    + AvroDecodingLimits.describe(SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY) + ")";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    /** A decoding failure and the path of the field it happened in, outermost first. */
    static final class FieldException extends RuntimeException {

        private final String path;
        private final String problem;

        FieldException(String path, String problem, Throwable cause) {
            super(problem + " at field " + path, cause);
            this.path = path;
            this.problem = problem;
        }

        FieldException within(String outer) {
            return new FieldException(outer + "." + path, problem, getCause());
        }
    }
}

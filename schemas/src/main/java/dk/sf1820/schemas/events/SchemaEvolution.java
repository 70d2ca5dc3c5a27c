package dk.sf1820.schemas.events;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;

/**
 * The rule that keeps the audit trail readable: an event's current schema must read every record its
 * released versions wrote (backward) and be readable by every one of them (forward), checked against
 * each version on its own, as Avro's {@link SchemaCompatibility} sees it; and it must itself be
 * released, so that the next change is checked against it. The build runs it for every event.
 */
public final class SchemaEvolution {

    private SchemaEvolution() {}

    /**
     * What keeps this schema from being the current version after those released; empty when nothing does.
     * Each problem names the event, the field, the rule Avro found broken and the version it breaks.
     */
    public static List<String> problems(Schema current, List<SchemaHistory.Version> released) {
        String event = current.getName();
        List<String> problems = new ArrayList<>();
        for (SchemaHistory.Version version : released) {
            for (Incompatibility broken : incompatibilities(current, version.schema())) {
                problems.add(event + " field " + field(current, broken.getLocation()) + ": " + broken.getType() + " ("
                        + broken.getMessage() + "): today's schema cannot read the records " + version.label()
                        + " wrote (backward compatibility, " + version.file() + ")");
            }
            for (Incompatibility broken : incompatibilities(version.schema(), current)) {
                problems.add(event + " field " + field(version.schema(), broken.getLocation()) + ": "
                        + broken.getType() + " (" + broken.getMessage() + "): a reader of " + version.label()
                        + " cannot read the records today's schema writes (forward compatibility, " + version.file()
                        + ")");
            }
        }
        SchemaHistory.Version newest = released.isEmpty() ? null : released.get(released.size() - 1);
        if (newest == null || !newest.schema().equals(current)) {
            String next = "history/" + event + "/v" + (released.size() + 1) + ".avsc";
            problems.add(event + " is not released: "
                    + (newest == null
                            ? "it has no released version"
                            : "it differs from its newest released version, " + newest.file())
                    + "; release it as " + next
                    + " and write its fixtures (see schemas/README.md, \"Releasing a version\")");
        }
        return problems;
    }

    private static List<Incompatibility> incompatibilities(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer)
                .getResult()
                .getIncompatibilities();
    }

    /**
     * The dotted field path a location in the reader's schema points at: Avro gives a JSON pointer
     * such as {@code /fields/12/type}, where 12 is a position only.
     */
    static String field(Schema reader, String location) {
        List<String> path = new ArrayList<>();
        Schema schema = reader;
        String[] steps = location.split("/");
        for (int i = 1; i < steps.length && schema != null; i++) {
            String step = steps[i];
            if (step.equals("fields") && i + 1 < steps.length && schema.getType() == Schema.Type.RECORD) {
                Schema.Field field = schema.getFields().get(Integer.parseInt(steps[++i]));
                path.add(field.name());
                schema = field.schema();
            } else if (step.equals("items") && schema.getType() == Schema.Type.ARRAY) {
                schema = schema.getElementType();
            } else if (step.equals("values") && schema.getType() == Schema.Type.MAP) {
                schema = schema.getValueType();
            } else if (step.matches("\\d+") && schema.isUnion()) {
                schema = schema.getTypes().get(Integer.parseInt(step));
            }
        }
        return path.isEmpty() ? "(the record itself)" : String.join(".", path);
    }
}

package dk.sf1820.schemas.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, "Schema evolution": the build fails when an event's schema changes in a way that makes
 * the audit trail unreadable, in either direction, or changes without being released.
 */
class SchemaEvolutionTest {

    private static final Schema EXTRACT_READY_V1 =
            SchemaHistory.of("ExtractReady").get(0).schema();
    private static final List<SchemaHistory.Version> RELEASED_V1 =
            List.of(new SchemaHistory.Version("ExtractReady", 1, EXTRACT_READY_V1));

    @Test
    void everyEventIsReleasedAndCompatibleBothWaysWithEveryReleasedVersion() {
        List<String> problems = new ArrayList<>();
        for (var type : Events.TYPES) {
            Schema current = Events.schemaOf(type);
            problems.addAll(SchemaEvolution.problems(current, SchemaHistory.of(current.getName())));
        }
        assertThat(problems).as("schema evolution rules, see schemas/README.md").isEmpty();
    }

    @Test
    void theHistoryHoldsOnlyEventsOfTheContract() throws IOException {
        List<String> events =
                Events.TYPES.stream().map(t -> Events.schemaOf(t).getName()).toList();
        try (Stream<Path> folders = Files.list(Path.of("src/main/avro/history"))) {
            assertThat(folders.map(f -> f.getFileName().toString())).containsExactlyInAnyOrderElementsOf(events);
        }
        for (String event : events) {
            for (SchemaHistory.Version version : SchemaHistory.of(event)) {
                assertThat(version.schema().getName()).as(version.file()).isEqualTo(event);
            }
        }
    }

    @Test
    void aNewFieldWithoutADefaultBreaksReadingTheOldVersionAndIsNamed() {
        Schema changed = withField(EXTRACT_READY_V1, "{\"name\":\"encoding\",\"type\":\"string\"}");

        assertThat(SchemaEvolution.problems(changed, RELEASED_V1))
                .first()
                .asString()
                .startsWith("ExtractReady field encoding: READER_FIELD_MISSING_DEFAULT_VALUE")
                .contains("today's schema cannot read the records v1 wrote")
                .contains("history/ExtractReady/v1.avsc");
    }

    @Test
    void aRenamedFieldBreaksBothWaysAndBothNamesAreGiven() {
        Schema renamed = parse(EXTRACT_READY_V1.toString().replace("\"name\":\"sha256\"", "\"name\":\"checksum\""));

        assertThat(SchemaEvolution.problems(renamed, RELEASED_V1))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("ExtractReady field checksum: READER_FIELD_MISSING_DEFAULT_VALUE")
                        .contains("backward"))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("ExtractReady field sha256: READER_FIELD_MISSING_DEFAULT_VALUE")
                        .contains("a reader of v1 cannot read the records today's schema writes (forward"));
    }

    @Test
    void aChangedTypeIsNamedWithTheFieldAndVersion() {
        Schema changed = parse(EXTRACT_READY_V1
                .toString()
                .replace("\"name\":\"sizeBytes\",\"type\":\"long\"", "\"name\":\"sizeBytes\",\"type\":\"string\""));

        assertThat(SchemaEvolution.problems(changed, RELEASED_V1))
                .anySatisfy(p -> assertThat(p)
                        .startsWith("ExtractReady field sizeBytes: TYPE_MISMATCH")
                        .contains("v1"));
    }

    @Test
    void aPromotionIsReadableOnlyOneWaySoItIsRefused() {
        Schema widened = parse(EXTRACT_READY_V1
                .toString()
                .replace("\"name\":\"sizeBytes\",\"type\":\"long\"", "\"name\":\"sizeBytes\",\"type\":\"double\""));

        assertThat(SchemaEvolution.problems(widened, RELEASED_V1))
                .filteredOn(p -> p.contains("field"))
                .singleElement()
                .asString()
                .startsWith("ExtractReady field sizeBytes: TYPE_MISMATCH")
                .contains("forward");
    }

    @Test
    void aRequiredFieldCannotBeRemovedButAFieldWithADefaultCan() {
        Schema withoutSha = withoutField(EXTRACT_READY_V1, "sha256");
        Schema withoutDataset = withoutField(EXTRACT_READY_V1, "dataset");

        assertThat(SchemaEvolution.problems(withoutSha, RELEASED_V1))
                .anySatisfy(p ->
                        assertThat(p).startsWith("ExtractReady field sha256:").contains("forward"));
        assertThat(SchemaEvolution.problems(withoutDataset, RELEASED_V1))
                .filteredOn(p -> p.contains("field"))
                .isEmpty();
    }

    @Test
    void aCompatibleChangeMustStillBeReleased() {
        Schema added =
                withField(EXTRACT_READY_V1, "{\"name\":\"encoding\",\"type\":[\"null\",\"string\"],\"default\":null}");

        assertThat(SchemaEvolution.problems(added, RELEASED_V1))
                .containsExactly(
                        "ExtractReady is not released: it"
                                + " differs from its newest released version, history/ExtractReady/v1.avsc; release it as"
                                + " history/ExtractReady/v2.avsc and write its fixtures (see schemas/README.md, \"Releasing a version\")");
        assertThat(SchemaEvolution.problems(EXTRACT_READY_V1, RELEASED_V1)).isEmpty();
    }

    @Test
    void aNestedFieldIsNamedByItsPath() {
        Schema failedV1 = SchemaHistory.of("DeliveryFailed").get(0).schema();
        Schema changed = parse(failedV1.toString()
                .replace("\"name\":\"code\",\"type\":\"int\"", "\"name\":\"code\",\"type\":\"string\""));

        assertThat(SchemaEvolution.problems(changed, List.of(new SchemaHistory.Version("DeliveryFailed", 1, failedV1))))
                .anySatisfy(p -> assertThat(p).startsWith("DeliveryFailed field errors.code: TYPE_MISMATCH"));
    }

    private static Schema withField(Schema schema, String field) {
        String json = schema.toString();
        return parse(json.substring(0, json.lastIndexOf(']')) + "," + field + "]}");
    }

    private static Schema withoutField(Schema schema, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        schema.getFields().stream()
                .filter(f -> !f.name().equals(name))
                .forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static Schema parse(String json) {
        return new Schema.Parser().parse(json);
    }
}

package dk.sf1820.serviceplatform.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlatformErrorTest {

    @Test
    void codesAreUniqueAndDescribed() {
        assertThat(Arrays.stream(PlatformError.values()).map(PlatformError::code))
                .doesNotHaveDuplicates();
        assertThat(PlatformError.values())
                .allSatisfy(e -> assertThat(e.description()).isNotBlank());
    }

    /** Senders and operators match on these numbers: changing one breaks them. */
    @Test
    void codesAreStable() {
        Map<String, Integer> codes =
                Arrays.stream(PlatformError.values()).collect(Collectors.toMap(Enum::name, PlatformError::code));
        assertThat(codes)
                .containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                        Map.entry("MALFORMED_XML", 100),
                        Map.entry("SCHEMA_VIOLATION", 101),
                        Map.entry("TRIGGER_TOO_LARGE", 102),
                        Map.entry("FILE_TRANSFER_UUID_IN_TRIGGER", 103),
                        Map.entry("XML_VERSION_NOT_SUPPORTED", 104),
                        Map.entry("SENDER_MISMATCH", 200),
                        Map.entry("UNKNOWN_RECIPIENT", 201),
                        Map.entry("DATA_FILE_MISSING", 300),
                        Map.entry("SIZE_MISMATCH", 301),
                        Map.entry("FORBIDDEN_FILE_NAME", 302),
                        Map.entry("DATA_FILE_NOT_REGULAR", 303),
                        Map.entry("FILE_NAME_IN_USE", 400),
                        Map.entry("ROUTING_FAILED", 500)));
    }
}

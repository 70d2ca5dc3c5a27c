package dk.sf1820.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 11: one parser reads back every name {@link DataFileName#of} makes, whatever the fagsystem's pattern. */
class DataFileNameParseTest {

    private static final LocalDateTime CREATED = LocalDateTime.of(2026, 3, 2, 8, 15, 30);
    private static final Fagsystem KSD = FagsystemRegistry.standard().requireExtract("KSD");
    private static final Fagsystem CUSTOM = withPattern("KY", "{authority}-{sender}-{period-no-year}-{timestamp}.zip");

    @Test
    void readsTheDefaultPatternBack() {
        String name = DataFileName.of(KSD, "0561", Period.parse("M03"), CREATED);

        DataFileName.Parsed parsed = DataFileName.parse(KSD, name).orElseThrow();

        assertThat(parsed.fagsystem()).isEqualTo(KSD);
        assertThat(parsed.authority()).isEqualTo("0561");
        assertThat(parsed.period()).isEqualTo(Period.parse("M03"));
        assertThat(parsed.createdAt()).isEqualTo(CREATED);
    }

    @Test
    void readsACustomPatternBack() {
        String name = DataFileName.of(CUSTOM, "0101", Period.parse("2026K1"), CREATED);
        assertThat(name).isEqualTo("0101-KY-K1-20260302081530.zip");

        DataFileName.Parsed parsed = DataFileName.parse(CUSTOM, name).orElseThrow();

        assertThat(parsed.authority()).isEqualTo("0101");
        assertThat(parsed.period().value()).isEqualTo("K1");
        assertThat(parsed.createdAt()).isEqualTo(CREATED);
    }

    @Test
    void theRegistryTellsWhoseNameItIsByEachFagsystemsPattern() {
        FagsystemRegistry registry = new FagsystemRegistry(List.of(KSD, CUSTOM));

        assertThat(DataFileName.parse(registry, "0101-KY-K1-20260302081530.zip"))
                .hasValueSatisfying(p -> assertThat(p.fagsystem().code()).isEqualTo("KY"));
        assertThat(DataFileName.parse(registry, "KSD_DST_0561_2026M03_20260302081530.zip"))
                .hasValueSatisfying(p -> assertThat(p.period().value()).isEqualTo("2026M03"));
        // the default layout is no longer KY's
        assertThat(DataFileName.parse(registry, "KY_DST_0561_M03_20260302081530.zip"))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "KSD_DST_0561_M13_20260302081530.zip",
                "KSD_DST_561_M03_20260302081530.zip",
                "KSD_DST_0561_M03_20261302081530.zip",
                "KSD_DST_0561_M03_20260302081530.zip.part",
                "DUBU_DST_0561_M03_20260302081530.zip",
                "export.zip"
            })
    void refusesWhatThePatternCannotHaveMade(String name) {
        assertThat(DataFileName.parse(KSD, name)).isEmpty();
    }

    private static Fagsystem withPattern(String code, String pattern) {
        Fagsystem standard = FagsystemRegistry.standard().requireExtract(code);
        return new Fagsystem(
                standard.code(),
                standard.name(),
                true,
                standard.sftpUser(),
                standard.recipients(),
                standard.recipientCode(),
                standard.contentType(),
                pattern,
                null,
                null);
    }
}

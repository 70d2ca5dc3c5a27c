package dk.sf1820.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.schemas.registry.Period.Kind;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeriodTest {

    @ParameterizedTest
    @CsvSource({"M03,MONTH", "K4,QUARTER", "H1,HALF_YEAR", "Y,YEAR", "2025M12,MONTH", "2025Y,YEAR"})
    void knowsItsKind(String text, Kind kind) {
        assertThat(Period.parse(text).kind()).isEqualTo(kind);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "M3|a month is M01-M12, two digits",
                "M00|a month is M01-M12",
                "K0|a quarter is K1-K4",
                "H3|a half-year is H1 or H2",
                "Y1|a year is Y",
                "Q1|is no period letter",
                "1999M01|outside 2000-2099",
                "m03|expected M01-M12"
            })
    void saysWhatIsWrongWithABadPeriod(String text, String reason) {
        assertThatThrownBy(() -> Period.parse(text))
                .isInstanceOf(ExtractRefusedException.class)
                .hasMessageStartingWith("period '" + text + "' is invalid: ")
                .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @CsvSource({
        "2026-01-05,MONTH,2025M12",
        "2026-03-31,MONTH,2026M02",
        "2026-05-10,QUARTER,2026K1",
        "2026-01-01,QUARTER,2025K4",
        "2026-05-10,HALF_YEAR,2025H2",
        "2026-07-01,HALF_YEAR,2026H1",
        "2026-05-10,YEAR,2025Y"
    })
    void theLastCompletePeriodNamesItsYear(LocalDate today, Kind kind, String expected) {
        assertThat(Period.previous(kind, today).value()).isEqualTo(expected);
    }

    @Test
    void aPeriodWithItsYearKnowsItsDays() {
        Period q1 = Period.parse("2026K1");
        assertThat(q1.year()).hasValue(2026);
        assertThat(q1.withoutYear()).isEqualTo("K1");
        assertThat(q1.start()).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(q1.end()).isEqualTo(LocalDate.of(2026, 4, 1));
        assertThat(Period.parse("2025Y").end()).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(Period.parse("M03").year()).isEmpty();
    }

    @Test
    void aFagsystemRefusesPeriodKindsItsExtractDoesNotCover() {
        Fagsystem monthly = new Fagsystem(
                "KSD",
                "x",
                true,
                "KSD_SFTPSIMPEL",
                List.of("DST-CEMOS-SFTPUsername"),
                "DST",
                "SF1820_KSD",
                null,
                Set.of(Kind.MONTH),
                Set.of(ExtractSource.SUBMIT));

        assertThat(monthly.requirePeriod(Period.parse("M03")).value()).isEqualTo("M03");
        assertThatThrownBy(() -> monthly.requirePeriod(Period.parse("K1")))
                .hasMessage("period 'K1' is a QUARTER period; KSD extracts cover [MONTH]");
        assertThatThrownBy(() -> monthly.requireSource(ExtractSource.QUERY))
                .hasMessage("KSD extracts do not arrive by query; sources: [submit]");
    }

    @Test
    void theFileNamePatternMayRearrangeTheParts() {
        Fagsystem ksd = new Fagsystem(
                "KSD",
                "x",
                true,
                "KSD_SFTPSIMPEL",
                List.of("DST-CEMOS-SFTPUsername"),
                "DST",
                "SF1820_KSD",
                "{sender}_{recipient}_{authority}_{period-no-year}_{timestamp}.zip",
                null,
                null);

        assertThat(DataFileName.of(ksd, "0561", Period.parse("2026M03"), LocalDateTime.of(2026, 4, 2, 13, 48, 58)))
                .isEqualTo("KSD_DST_0561_M03_20260402134858.zip");
    }

    @Test
    void aFileNamePatternThatCannotNameDistinctFilesIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> new Fagsystem(
                        "KY",
                        "x",
                        true,
                        "KY_SFTPSIMPEL",
                        List.of("DST-CEMOS-SFTPUsername"),
                        "DST",
                        "SF1820_KY",
                        "{sender}_{period}.zip",
                        null,
                        null))
                .hasMessage("sf1820.registry.KY.file-name-pattern: '{sender}_{period}.zip' lacks {authority}");
        assertThat(DataFileName.patternViolation("{sender}_{authority}_{period}_{timestamp}_{x}.zip"))
                .get()
                .asString()
                .contains("unknown placeholder {x}");
        assertThat(DataFileName.patternViolation("{authority}_{period}_{timestamp}.csv"))
                .get()
                .asString()
                .contains("must end in .zip");
    }
}

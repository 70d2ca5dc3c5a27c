package dk.sf1820.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryTest {

    private final FagsystemRegistry registry = FagsystemRegistry.standard();

    @Test
    void shipsTheFiveFagsystemsWithExtractsAndTheirDefaults() {
        assertThat(registry.withExtract())
                .extracting(Fagsystem::code)
                .containsExactly("KSD", "DUBU", "KY", "FBS", "KP");
        Fagsystem ksd = registry.requireExtract("ksd");
        assertThat(ksd.sftpUser()).isEqualTo("KSD_SFTPSIMPEL");
        assertThat(ksd.recipients()).containsExactly("DST-CEMOS-SFTPUsername");
        assertThat(ksd.contentType()).isEqualTo("SF1820_KSD");
    }

    @Test
    void valgIsKnownButRefusedBecauseNoExtractIsSpecified() {
        assertThat(registry.find("VALG")).isPresent();
        assertThatThrownBy(() -> registry.requireExtract("VALG"))
                .isInstanceOf(ExtractRefusedException.class)
                .hasMessageContaining("VALG")
                .hasMessageContaining("SF1820 specifies no extract");
    }

    @Test
    void unknownFagsystemIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> registry.requireExtract("XYZ"))
                .hasMessageContaining("'XYZ' is unknown")
                .hasMessageContaining("KSD, DUBU");
    }

    @Test
    void aFagsystemWithAnExtractNeedsARecipientNamingTheKey() {
        assertThatThrownBy(() ->
                        new Fagsystem("KSD", "x", true, "KSD_SFTPSIMPEL", java.util.List.of(), "DST", "SF1820_KSD"))
                .hasMessageContaining("sf1820.registry.KSD.recipients");
    }

    @Test
    void authoritiesAreThe98MunicipalitiesPaddedToFourDigits() {
        assertThat(Authorities.all()).hasSize(98);
        assertThat(Authorities.require("561")).isEqualTo("0561");
        assertThat(Authorities.all().get("0561")).isEqualTo("Esbjerg");
        assertThatThrownBy(() -> Authorities.require("0999"))
                .hasMessageContaining("'0999' is not a Danish municipality");
        assertThatThrownBy(() -> Authorities.require("../1")).isInstanceOf(ExtractRefusedException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"M01", "M12", "K4", "H2", "Y", "2026M03"})
    void acceptsPeriods(String text) {
        assertThat(Period.parse(text).value()).isEqualTo(text);
    }

    @ParameterizedTest
    @ValueSource(strings = {"M13", "M3", "K5", "Q1", "", "M03/../x"})
    void refusesBadPeriods(String text) {
        assertThatThrownBy(() -> Period.parse(text))
                .isInstanceOf(ExtractRefusedException.class)
                .hasMessageContaining("period '" + text + "' is invalid");
    }

    @Test
    void dataFileNameFollowsTheRecommendedPattern() {
        String name = DataFileName.of(
                registry.requireExtract("KSD"), "0561", Period.parse("M03"), LocalDateTime.of(2018, 4, 2, 13, 48, 58));
        assertThat(name).isEqualTo("KSD_DST_0561_M03_20180402134858.zip");
        assertThat(DataFileName.violation(name)).isEmpty();
    }

    @Test
    void dataFileNameRules() {
        assertThat(DataFileName.violation("a".repeat(256))).get().asString().contains("256 bytes");
        assertThat(DataFileName.ownNameViolation("a".repeat(DataFileName.MAX_DATA_FILE_NAME_LENGTH)))
                .isEmpty();
        // issue 10: a 240-character name left no room for "<name>.sftpreceipt" and the platform's temporary names
        assertThat(DataFileName.ownNameViolation("a".repeat(192)))
                .get()
                .asString()
                .contains("192 bytes")
                .contains("suffixes");
        assertThat(DataFileName.ownNameViolation("x.trigger")).get().asString().contains("must not end in .trigger");
        assertThat(DataFileName.MAX_DATA_FILE_NAME_LENGTH
                        + ".".length()
                        + ".x".length()
                        + 40
                        + ".businessreceipt.part".length())
                .isLessThanOrEqualTo(DataFileName.MAX_NAME_BYTES);
        assertThat(DataFileName.violation("x.trigger")).get().asString().contains("must not end in .trigger");
        assertThat(DataFileName.violation("X.TRIGGER")).isPresent();
        assertThat(DataFileName.violation("../x.zip")).get().asString().contains("plain name");
        assertThat(DataFileName.violation("a/b.zip")).isPresent();
        assertThat(DataFileName.violation("a\\b.zip")).isPresent();
        assertThat(DataFileName.violation("..")).isPresent();
        assertThat(DataFileName.violation("")).isPresent();
        assertThat(DataFileName.violation("a\nb.zip")).isPresent();
    }

    @Test
    void dataFileNameLeavesRoomForEverySuffixThePlatformAdds() {
        assertThat(DataFileName.MAX_DELIVERABLE_LENGTH).isEqualTo(239);
        String longest = "a".repeat(DataFileName.MAX_DELIVERABLE_LENGTH);
        assertThat(DataFileName.violation(longest)).isEmpty();
        for (String suffix : new String[] {
            DataFileName.TRIGGER_SUFFIX,
            DataFileName.METADATA_SUFFIX,
            DataFileName.RECEIPT_SUFFIX,
            DataFileName.BUSINESS_RECEIPT_SUFFIX
        }) {
            assertThat(DataFileName.utf8Length(longest + suffix)).isLessThanOrEqualTo(DataFileName.MAX_NAME_BYTES);
        }
        assertThat(DataFileName.violation("a".repeat(240)))
                .get()
                .asString()
                .contains("240 bytes")
                .contains("at most 239");
        assertThat(DataFileName.violation("a".repeat(250))).isPresent();
    }

    @Test
    void dataFileNameLengthCountsUtf8Bytes() {
        // 122 characters, but 240 bytes: too long for the file system once .businessreceipt is added
        assertThat(DataFileName.violation("æ".repeat(117) + ".zip")).isEmpty();
        assertThat(DataFileName.violation("æ".repeat(118) + ".zip"))
                .get()
                .asString()
                .contains("240 bytes");
    }

    @Test
    void dataFileNameMustNotBeHidden() {
        assertThat(DataFileName.violation(".KSD_DST_0561_M03_20180402134858.zip"))
                .get()
                .asString()
                .contains("must not start with a dot");
        assertThat(DataFileName.violation(".zip")).isPresent();
    }
}

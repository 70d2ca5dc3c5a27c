package dk.sf1820.stage;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.registry.ExtractSource;
import dk.sf1820.schemas.registry.Fagsystem;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.registry.Period;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The registry as configuration: merged over the shipped defaults and validated at start-up, without Kafka. */
class RegistryPropertiesTest {

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(StageSupportConfiguration.class));

    @Test
    void withoutConfigurationTheShippedDefaultsApply() {
        runner.run(context -> {
            FagsystemRegistry registry = context.getBean(FagsystemRegistry.class);
            assertThat(registry.withExtract())
                    .extracting(Fagsystem::code)
                    .containsExactly("KSD", "DUBU", "KY", "FBS", "KP");
            assertThat(registry.find("VALG"))
                    .get()
                    .extracting(Fagsystem::extractSpecified)
                    .isEqualTo(false);
        });
    }

    @Test
    void aSettingChangesOnlyWhatItNames() {
        runner.withPropertyValues(
                        "sf1820.registry.fagsystems.KSD.sftp-user=KSD_0561_SFTP",
                        "sf1820.registry.fagsystems.KSD.periods=MONTH,QUARTER",
                        "sf1820.registry.fagsystems.KSD.sources=submit,drop-folder",
                        "sf1820.registry.fagsystems.KSD.file-name-pattern={sender}_{recipient}_{authority}_{period-no-year}_{timestamp}.zip")
                .run(context -> {
                    Fagsystem ksd = context.getBean(FagsystemRegistry.class).requireExtract("KSD");
                    assertThat(ksd.sftpUser()).isEqualTo("KSD_0561_SFTP");
                    assertThat(ksd.periods()).containsExactlyInAnyOrder(Period.Kind.MONTH, Period.Kind.QUARTER);
                    assertThat(ksd.sources())
                            .containsExactlyInAnyOrder(ExtractSource.SUBMIT, ExtractSource.DROP_FOLDER);
                    assertThat(ksd.fileNamePattern()).contains("{period-no-year}");
                    assertThat(ksd.recipients()).containsExactly("DST-CEMOS-SFTPUsername");
                    assertThat(ksd.contentType()).isEqualTo("SF1820_KSD");
                });
    }

    @Test
    void aNewFagsystemGetsTheDefaultsOfOneWithAnExtract() {
        runner.withPropertyValues("sf1820.registry.fagsystems.SAG.name=Sagssystem")
                .run(context -> {
                    Fagsystem sag = context.getBean(FagsystemRegistry.class).requireExtract("SAG");
                    assertThat(sag.sftpUser()).isEqualTo("SAG_SFTPSIMPEL");
                    assertThat(sag.contentType()).isEqualTo("SF1820_SAG");
                });
    }

    @Test
    void everyInvalidSettingIsReportedAtStartUpByItsKey() {
        runner.withPropertyValues(
                        "sf1820.registry.fagsystems.KY.file-name-pattern={sender}_{period}.zip",
                        "sf1820.registry.fagsystems.KP.sftp-user=KP user",
                        "sf1820.registry.fagsystems.FBS.content-type=FBS",
                        "sf1820.registry.fagsystems.NEW.sftp-user=NEW_SFTPSIMPEL")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("sf1820.registry.fagsystems.KY.file-name-pattern: '{sender}_{period}.zip'"
                                + " lacks {authority}")
                        .hasMessageContaining("sf1820.registry.fagsystems.KP.sftp-user: 'KP user' is no SFTP user name")
                        .hasMessageContaining(
                                "sf1820.registry.fagsystems.FBS.content-type: 'FBS' is no SF1820 file type")
                        .hasMessageContaining("sf1820.registry.fagsystems.NEW.name: must be set"));
    }

    @Test
    void valgCannotBeGivenAnExtract() {
        runner.withPropertyValues("sf1820.registry.fagsystems.VALG.extract=true")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining(
                                "sf1820.registry.fagsystems.VALG.extract: SF1820 specifies no extract for" + " VALG"));
    }

    @Test
    void anUnknownPeriodKindIsRefusedByItsKey() {
        runner.withPropertyValues("sf1820.registry.fagsystems.KSD.periods=WEEK")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasStackTraceContaining("sf1820.registry.fagsystems.ksd.periods"));
    }
}

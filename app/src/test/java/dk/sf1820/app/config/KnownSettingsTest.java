package dk.sf1820.app.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 10, "Typos must not pass silently": the known settings come from every module's configuration metadata. */
class KnownSettingsTest {

    static final KnownSettings KNOWN = KnownSettings.fromClasspath(KnownSettingsTest.class.getClassLoader());

    @ParameterizedTest
    @ValueSource(
            strings = {
                "sf1820.embedded.scan-interval",
                "sf1820.embedded.scanInterval",
                "sf1820.embedded.scaninterval",
                "sf1820.work-dir",
                "sf1820.stages",
                "sf1820.instance-id",
                "sf1820.kafka.partitions",
                "sf1820.packager.compression-level",
                "sf1820.transporter.retry-budget",
                "sf1820.receipt-tracker.poll-interval",
                "sf1820.dst-receiver.store-dir",
                "sf1820.serviceplatform.ciphers",
                "sf1820.serviceplatform.ciphers[1]",
                "sf1820.extractor.drop-folder.quiet-period",
                // map entries: fagsystem codes, dataset names; list entries: accounts
                "sf1820.registry.fagsystems.KSD.sftp-user",
                "sf1820.registry.fagsystems.XYZ.name",
                "sf1820.registry.fagsystems[KY].recipients",
                "sf1820.registry.fagsystems.KP.recipients[0]",
                "sf1820.registry.fagsystems.FBS.fileNamePattern",
                "sf1820.extractor.datasets.ksd-sygedagpenge.sql",
                "sf1820.extractor.datasets.x.jdbc.url",
                "sf1820.extractor.datasets.x.jdbc.maximum-pool-size",
                "sf1820.extractor.datasets.x.columns[2]",
                "sf1820.sftp.accounts[0].user",
                "sf1820.sftp.accounts[12].known-hosts",
                "sf1820.sftp.accounts[0].privateKey"
            })
    void knowsEveryFormOfAKnownSetting(String name) {
        assertThat(KNOWN.isKnown(SettingName.property(name))).as(name).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SF1820_EMBEDDED_SCANINTERVAL",
                "SF1820_EMBEDDED_SCAN_INTERVAL",
                "SF1820_WORK_DIR",
                "SF1820_STAGES",
                "SF1820_KAFKA_REPLICATION_FACTOR",
                "SF1820_EMBEDDED_KAFKA",
                "SF1820_REGISTRY_FAGSYSTEMS_KSD_SFTPUSER",
                "SF1820_SFTP_ACCOUNTS_0_USER",
                "SF1820_EXTRACTOR_DATASETS_KSD_JDBC_URL",
                "SF1820_INSTANCEID"
            })
    void knowsEnvironmentVariablesOfKnownSettings(String name) {
        assertThat(KNOWN.isKnown(SettingName.environmentVariable(name)))
                .as(name)
                .isTrue();
    }

    @ParameterizedTest
    @CsvSource({
        "sf1820.embedded.scan-intervall, sf1820.embedded.scan-interval",
        "sf1820.embeded.kafka, sf1820.embedded.kafka",
        "sf1820.stage, sf1820.stages",
        "sf1820.workdir.x, sf1820.work-dir",
        "sf1820.packager.compression-levle, sf1820.packager.compression-level",
        "sf1820.registry.fagsystems.KSD.sftp-usr, sf1820.registry.fagsystems.KSD.sftp-user",
        "sf1820.registry.fagsystem.KSD.name, sf1820.registry.fagsystems.KSD.name",
        "sf1820.extractor.datasets.ksd.jdbc.ulr, sf1820.extractor.datasets.ksd.jdbc.url",
        "sf1820.extractor.datasets.ksd.cronn, sf1820.extractor.datasets.ksd.cron",
        "sf1820.sftp.accounts[0].usr, sf1820.sftp.accounts[0].user",
        "sf1820.sftp.account[0].host, sf1820.sftp.accounts[0].host",
        "sf1820.kafka.partition, sf1820.kafka.partitions",
        "sf1820.instance, sf1820.instance-id"
    })
    void refusesATypoNamingTheClosestKnownSetting(String typo, String meant) {
        SettingName name = SettingName.property(typo);
        assertThat(KNOWN.isKnown(name)).as(typo).isFalse();
        assertThat(KNOWN.closest(name)).contains(meant);
    }

    @Test
    void refusesAnEnvironmentVariableTypo() {
        SettingName name = SettingName.environmentVariable("SF1820_EMBEDDED_SCAN_INTERVALL");
        assertThat(KNOWN.isKnown(name)).isFalse();
        assertThat(KNOWN.closest(name)).contains("sf1820.embedded.scan-interval");
    }

    @Test
    void aSettingIsNotKnownByItsPrefixAloneNorWithExtraElements() {
        assertThat(KNOWN.isKnown(SettingName.property("sf1820.embedded"))).isFalse();
        assertThat(KNOWN.isKnown(SettingName.property("sf1820.embedded.kafka.port")))
                .isFalse();
        assertThat(KNOWN.isKnown(SettingName.property("sf1820.registry.fagsystems.KSD")))
                .isFalse();
        assertThat(KNOWN.isKnown(SettingName.property("sf1820.sftp.accounts[x].user")))
                .isFalse();
        // a property file's dots are elements: only an environment variable's underscores may join words
        assertThat(KNOWN.isKnown(SettingName.property("sf1820.embedded.scan.interval")))
                .isFalse();
    }
}

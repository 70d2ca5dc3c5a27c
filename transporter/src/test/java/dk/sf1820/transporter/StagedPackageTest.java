package dk.sf1820.transporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.kafka.NonRetryableEventException;
import dk.sf1820.schemas.avro.PackageReady;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.sftp.FileTypes;
import dk.sf1820.schemas.sftp.SftpXml;
import dk.sf1820.schemas.xml.TriggerType;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the transporter checks before it connects: the staged package and the trigger it makes of the event. */
class StagedPackageTest {

    static final FagsystemRegistry REGISTRY = FagsystemRegistry.standard();

    @TempDir
    Path staging;

    @Test
    void acceptsThePackageTheEventAnnounces() throws Exception {
        Path zip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134858.zip", 10);
        StagedPackage staged = StagedPackage.of(Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD"), staging, REGISTRY);
        assertThat(staged.path()).isEqualTo(zip.toRealPath());
        assertThat(staged.size()).isEqualTo(Files.size(zip));
    }

    @Test
    void refusesARealPackageSentWithAnotherFagsystemsAccountOrUnderAnotherMunicipalitysName() throws Exception {
        Path zip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134858.zip", 10);
        PackageReady otherAccount = Packages.packageReady(zip, "DUBU_SFTPSIMPEL", "KSD");
        PackageReady otherFagsystem = Packages.packageReady(zip, "DUBU_SFTPSIMPEL", "DUBU");
        PackageReady otherAuthority = Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD");
        otherAuthority.setAuthority("0101");

        assertThatThrownBy(() -> StagedPackage.of(otherAccount, staging, REGISTRY))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("sender 'DUBU_SFTPSIMPEL' is not fagsystem KSD's SFTP user KSD_SFTPSIMPEL");
        assertThatThrownBy(() -> StagedPackage.of(otherFagsystem, staging, REGISTRY))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("fileName KSD_DST_0561_M03_20180402134858.zip is not fagsystem DUBU's name");
        assertThatThrownBy(() -> StagedPackage.of(otherAuthority, staging, REGISTRY))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("is not fagsystem KSD's name for authority 0101 and period M03");
    }

    @Test
    void refusesAPackageOfAnotherSizeNamingBoth() throws Exception {
        Path zip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134858.zip", 10);
        PackageReady event = Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD");
        event.setSizeBytes(event.getSizeBytes() + 1);
        assertThatThrownBy(() -> StagedPackage.of(event, staging, REGISTRY))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining(zip.toRealPath().toString())
                .hasMessageContaining("sizeBytes=" + event.getSizeBytes())
                .hasMessageContaining("transferId=" + event.getTransferId());
    }

    @Test
    void refusesARefThatIsNoFileUri() throws Exception {
        Path zip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134858.zip", 10);
        PackageReady event = Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD");
        event.setPackageRef("s3://bucket/x.zip");
        assertThatThrownBy(() -> StagedPackage.of(event, staging, REGISTRY))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("s3://bucket/x.zip");
    }

    @Test
    void refusesAFileNameThePlatformWouldTakeForATrigger() throws Exception {
        Path zip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134858.zip", 10);
        PackageReady event = Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD");
        event.setFileName("x.trigger");
        assertThatThrownBy(() -> StagedPackage.of(event, staging, REGISTRY))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("must not end in .trigger");
    }

    @Test
    void refusesAPackageOutsideTheStagingArea(@TempDir Path elsewhere) throws Exception {
        PackageReady event = Packages.packageReady(
                Packages.stageZip(elsewhere, "KSD_DST_0561_M03_20180402134858.zip", 10), "KSD_SFTPSIMPEL", "KSD");
        assertThatThrownBy(() -> StagedPackage.of(event, staging, REGISTRY))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("is not this transfer's package")
                .hasMessageContaining(staging.toRealPath()
                        .resolve("packages")
                        .resolve(event.getTransferId())
                        .toString());
    }

    @Test
    void refusesAPackageLinkedToADeviceOrAFifo() throws Exception {
        Path zip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134858.zip", 10);
        PackageReady device = Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD");
        Files.delete(zip);
        Files.createSymbolicLink(zip, Path.of("/dev/zero"));
        assertThatThrownBy(() -> StagedPackage.of(device, staging, REGISTRY))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("resolved /dev/zero");

        Path fifoZip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134859.zip", 10);
        PackageReady fifo = Packages.packageReady(fifoZip, "KSD_SFTPSIMPEL", "KSD");
        Files.delete(fifoZip);
        assertThat(new ProcessBuilder("mkfifo", fifoZip.toString()).start().waitFor())
                .isZero();
        assertThatThrownBy(() -> StagedPackage.of(fifo, staging, REGISTRY))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("is not a regular file");
    }

    @Test
    void refusesATransferIdThatIsNoUuidAndAShaThatIsNoHash() throws Exception {
        Path zip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134858.zip", 10);
        PackageReady traversal = Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD");
        traversal.setTransferId("..");
        assertThatThrownBy(() -> StagedPackage.of(traversal, staging, REGISTRY))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("not a lower-case UUID");
        PackageReady noHash = Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD");
        noHash.setSha256("none");
        assertThatThrownBy(() -> StagedPackage.of(noHash, staging, REGISTRY))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("sha256 'none'");
    }

    @Test
    void aMissingStagingAreaIsRetriedNotRefused() throws Exception {
        Path zip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134858.zip", 10);
        PackageReady event = Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD");
        assertThatThrownBy(() -> StagedPackage.of(event, staging.resolve("unmounted"), REGISTRY))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining("staging directory");
    }

    @Test
    void triggerCarriesTheTransferIdAsSendersFileId() throws Exception {
        Path zip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134858.zip", 10);
        PackageReady event = Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD");
        byte[] xml = TriggerFile.content(event);
        assertThat(new String(xml, java.nio.charset.StandardCharsets.UTF_8)).contains("<ns2:Trigger");
        TriggerType trigger = SftpXml.readTrigger(new ByteArrayInputStream(xml), "trigger");
        assertThat(trigger.getFileDescriptor().getSendersFileId()).isEqualTo(event.getTransferId());
        assertThat(trigger.getFileTransferUUID())
                .as("only the platform assigns it")
                .isNull();
        assertThat(FileTypes.of(trigger.getFileContentDescriptor())).contains("SF1820_KSD");
    }

    @Test
    void refusesAnEventWithoutRecipients() throws Exception {
        Path zip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134858.zip", 10);
        PackageReady event = Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD");
        event.setRecipients(List.of());
        assertThatThrownBy(() -> TriggerFile.content(event))
                .isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("transferId=" + event.getTransferId());
    }
}

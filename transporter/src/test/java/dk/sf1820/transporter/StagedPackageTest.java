package dk.sf1820.transporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.kafka.NonRetryableEventException;
import dk.sf1820.schemas.avro.PackageReady;
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

    @TempDir
    Path staging;

    @Test
    void acceptsThePackageTheEventAnnounces() throws Exception {
        Path zip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134858.zip", 10);
        StagedPackage staged = StagedPackage.of(Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD"), staging);
        assertThat(staged.path()).isEqualTo(zip.toRealPath());
        assertThat(staged.size()).isEqualTo(Files.size(zip));
    }

    @Test
    void refusesAPackageOfAnotherSizeNamingBoth() throws Exception {
        Path zip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134858.zip", 10);
        PackageReady event = Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD");
        event.setSizeBytes(event.getSizeBytes() + 1);
        assertThatThrownBy(() -> StagedPackage.of(event, staging)).isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining(zip.toRealPath().toString())
                .hasMessageContaining("sizeBytes=" + event.getSizeBytes())
                .hasMessageContaining("transferId=" + event.getTransferId());
    }

    @Test
    void refusesARefThatIsNoFileUri() throws Exception {
        Path zip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134858.zip", 10);
        PackageReady event = Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD");
        event.setPackageRef("s3://bucket/x.zip");
        assertThatThrownBy(() -> StagedPackage.of(event, staging)).isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("s3://bucket/x.zip");
    }

    @Test
    void refusesAFileNameThePlatformWouldTakeForATrigger() throws Exception {
        Path zip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134858.zip", 10);
        PackageReady event = Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD");
        event.setFileName("x.trigger");
        assertThatThrownBy(() -> StagedPackage.of(event, staging)).isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("must not end in .trigger");
    }

    @Test
    void triggerCarriesTheTransferIdAsSendersFileId() throws Exception {
        Path zip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134858.zip", 10);
        PackageReady event = Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD");
        byte[] xml = TriggerFile.content(event);
        assertThat(new String(xml, java.nio.charset.StandardCharsets.UTF_8)).contains("<ns2:Trigger");
        TriggerType trigger = SftpXml.readTrigger(new ByteArrayInputStream(xml), "trigger");
        assertThat(trigger.getFileDescriptor().getSendersFileId()).isEqualTo(event.getTransferId());
        assertThat(trigger.getFileTransferUUID()).as("only the platform assigns it").isNull();
        assertThat(FileTypes.of(trigger.getFileContentDescriptor())).contains("SF1820_KSD");
    }

    @Test
    void refusesAnEventWithoutRecipients() throws Exception {
        Path zip = Packages.stageZip(staging, "KSD_DST_0561_M03_20180402134858.zip", 10);
        PackageReady event = Packages.packageReady(zip, "KSD_SFTPSIMPEL", "KSD");
        event.setRecipients(List.of());
        assertThatThrownBy(() -> TriggerFile.content(event)).isInstanceOf(NonRetryableEventException.class)
                .hasMessageContaining("transferId=" + event.getTransferId());
    }
}

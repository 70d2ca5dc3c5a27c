package dk.sf1820.serviceplatform.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dk.sf1820.schemas.registry.DataFileName;
import dk.sf1820.schemas.sftp.SftpXmlException;
import dk.sf1820.schemas.xml.TriggerType;
import dk.sf1820.testsupport.Triggers;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TriggerRulesTest {

    static final String KSD = "KSD_SFTPSIMPEL";
    static final String DST = "DST-CEMOS-SFTPUsername";

    final Set<String> users = new HashSet<>(Set.of(KSD, DST));
    final Map<String, TriggerRules.DataFile> dataFiles = new HashMap<>();
    final Set<String> waiting = new HashSet<>();
    final TriggerRules rules = new TriggerRules(new TriggerRules.Folders() {
        @Override
        public boolean isUser(String user) {
            return users.contains(user);
        }

        @Override
        public TriggerRules.DataFile dataFile(String owner, String fileName) {
            return dataFiles.getOrDefault(owner + "/" + fileName, TriggerRules.DataFile.ABSENT);
        }

        @Override
        public boolean waitingInIn(String recipient, String fileName) {
            return waiting.contains(recipient + "/" + fileName);
        }
    });

    @Test
    void validTriggerHasNoProblems() {
        dataFiles.put(KSD + "/a.zip", new TriggerRules.DataFile(true, true, 10));
        assertThat(rules.check(Triggers.trigger("a.zip", 10, KSD, "id", List.of(DST)), KSD))
                .isEmpty();
    }

    @Test
    void everyUnknownRecipientIsNamed() {
        dataFiles.put(KSD + "/a.zip", new TriggerRules.DataFile(true, true, 10));
        List<PlatformProblem> problems =
                rules.check(Triggers.trigger("a.zip", 10, KSD, "id", List.of(DST, "X", "Y")), KSD);
        assertThat(problems)
                .extracting(PlatformProblem::detail)
                .containsExactly(
                        "Recipients 'X' is not a user of the platform", "Recipients 'Y' is not a user of the platform");
    }

    @Test
    void forbiddenNameIsNotLookedUpOnDisk() {
        List<PlatformProblem> problems = rules.check(Triggers.trigger("x.trigger", 1, KSD, "id", List.of(DST)), KSD);
        assertThat(problems).extracting(PlatformProblem::error).containsExactly(PlatformError.FORBIDDEN_FILE_NAME);
        assertThat(problems.get(0).detail()).startsWith("FileName: ").contains("must not end in .trigger");
    }

    @Test
    void sizeIsComparedExactly() {
        dataFiles.put(KSD + "/a.zip", new TriggerRules.DataFile(true, true, 11));
        assertThat(rules.check(Triggers.trigger("a.zip", 10, KSD, "id", List.of(DST)), KSD))
                .extracting(PlatformProblem::code)
                .containsExactly(301);
    }

    @Test
    void fileStillWaitingForARecipientIsANameConflict() {
        dataFiles.put(KSD + "/a.zip", new TriggerRules.DataFile(true, true, 10));
        waiting.add(DST + "/a.zip");
        assertThat(rules.check(Triggers.trigger("a.zip", 10, KSD, "id", List.of(DST)), KSD))
                .extracting(PlatformProblem::code)
                .containsExactly(400);
    }

    @Test
    void recipientsAreDeduplicatedInOrder() {
        TriggerType trigger = Triggers.trigger("a.zip", 10, KSD, "id", List.of(DST, KSD, DST));
        assertThat(TriggerRules.recipients(trigger)).containsExactly(DST, KSD);
    }

    @Test
    void readerErrorsAreSortedIntoMalformedAndSchemaViolations() {
        assertThat(TriggerRules.unreadable(
                                new SftpXmlException("t", "line 1, column 3: cvc-complex-type.2.4.a: x", null))
                        .error())
                .isEqualTo(PlatformError.SCHEMA_VIOLATION);
        assertThat(TriggerRules.unreadable(
                                new SftpXmlException("t", "root element is {ns}FileMetadata, expected …", null))
                        .error())
                .isEqualTo(PlatformError.SCHEMA_VIOLATION);
        assertThat(TriggerRules.unreadable(new SftpXmlException(
                                "t", "line 1, column 1: Content is not allowed in " + "prolog.", null))
                        .error())
                .isEqualTo(PlatformError.MALFORMED_XML);
    }

    @Test
    void receiptIsNamedAfterTheDataFileOrElseTheTrigger() {
        assertThat(TriggerScanner.receiptBaseName("t.trigger", "a.zip")).isEqualTo("a.zip");
        assertThat(TriggerScanner.receiptBaseName("a.zip.trigger", null)).isEqualTo("a.zip");
        assertThat(TriggerScanner.receiptBaseName("a.zip.trigger", "../x")).isEqualTo("a.zip");
        // issue 10: never a hidden receipt, which clients are told to ignore
        assertThat(TriggerScanner.receiptBaseName(".trigger", null)).isEqualTo("trigger");
        assertThat(TriggerScanner.receiptBaseName(".a.zip.trigger", ".a.zip")).isEqualTo("a.zip");
        assertThat(TriggerScanner.receiptBaseName("...trigger", null)).isEqualTo("trigger");
        assertThat(TriggerScanner.receiptBaseName("a\u0001b.trigger", null)).isEqualTo("a_b");
    }

    /** Issue 10: a trigger's own name may be 255 bytes; the receipt's must still fit. */
    @Test
    void receiptNameFitsWhateverTheTriggersNameIs() {
        String longTrigger = "ø".repeat(123) + "x.trigger"; // 246 + 1 + 8 = 255 bytes
        String base = TriggerScanner.receiptBaseName(longTrigger, "ø".repeat(124));
        assertThat(DataFileName.utf8Length(base)).isLessThanOrEqualTo(DataFileName.MAX_DELIVERABLE_LENGTH);
        assertThat(DataFileName.utf8Length(base + DataFileName.RECEIPT_SUFFIX)).isLessThanOrEqualTo(255);
        assertThat(base).isEqualTo("ø".repeat(119)).as("cut between characters, never inside one");
        assertThat(TriggerRules.unreadable(new SftpXmlException(
                                "t",
                                "line 1, column 40: the document declares XML " + "1.1; "
                                        + dk.sf1820.schemas.sftp.SftpXml.XML_VERSION_REFUSED,
                                null))
                        .error())
                .isEqualTo(PlatformError.XML_VERSION_NOT_SUPPORTED);
    }
}

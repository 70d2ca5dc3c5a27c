package dk.sf1820.schemas.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.schemas.xml.ErrorMessageType;
import dk.sf1820.schemas.xml.FileDescriptorType;
import dk.sf1820.schemas.xml.FileMetadataType;
import dk.sf1820.schemas.xml.ReceiptType;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import dk.sf1820.schemas.xml.TriggerType;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SftpXmlTest {

    private static final String NS = SftpXml.NAMESPACE;

    static FileDescriptorType descriptor() {
        FileDescriptorType d = new FileDescriptorType();
        d.setFileName("KSD_DST_0561_M03_20180402134858.zip");
        d.setSizeInBytes(BigInteger.valueOf(154645));
        d.setSender("KSD_SFTPSIMPEL");
        d.setSendersFileId("67e072ec-2db2-4c38-aeb1-a71c135ce566");
        d.getRecipients().add("DST-CEMOS-SFTPUsername");
        return d;
    }

    static TriggerType trigger() {
        TriggerType t = new TriggerType();
        t.setFileDescriptor(descriptor());
        t.setFileContentDescriptor(FileTypes.descriptor("SF1820_KSD"));
        return t;
    }

    private static ByteArrayInputStream in(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }

    private static ByteArrayInputStream in(String xml) {
        return in(xml.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void triggerRoundTripsWithTheNs2PrefixAndUnqualifiedChildren() throws Exception {
        byte[] xml = SftpXml.write(trigger());
        String text = new String(xml, StandardCharsets.UTF_8);
        assertThat(text).contains("<ns2:Trigger xmlns:ns2=\"" + NS + "\"").contains("<FileName>");

        TriggerType back = SftpXml.readTrigger(in(xml), "x.trigger");
        assertThat(back.getFileDescriptor().getFileName()).isEqualTo("KSD_DST_0561_M03_20180402134858.zip");
        assertThat(back.getFileDescriptor().getSizeInBytes()).isEqualTo(BigInteger.valueOf(154645));
        assertThat(back.getFileDescriptor().getRecipients()).containsExactly("DST-CEMOS-SFTPUsername");
        assertThat(back.getFileDescriptor().getSendersFileId()).isEqualTo("67e072ec-2db2-4c38-aeb1-a71c135ce566");
        assertThat(FileTypes.of(back.getFileContentDescriptor())).contains("SF1820_KSD");
    }

    @Test
    void readsAnyPrefixForTheContractNamespace() throws Exception {
        String xml = "<p:Trigger xmlns:p=\"" + NS + "\"><FileDescriptor><FileName>a.zip</FileName>"
                + "<SizeInBytes>3</SizeInBytes><Sender>KSD_SFTPSIMPEL</Sender>"
                + "<Recipients>DST-CEMOS-SFTPUsername</Recipients></FileDescriptor><FileContentDescriptor/></p:Trigger>";
        TriggerType t = SftpXml.readTrigger(in(xml), "a.zip.trigger");
        assertThat(t.getFileDescriptor().getSendersFileId()).isNull();
        assertThat(FileTypes.of(t.getFileContentDescriptor())).isEmpty();
    }

    @Test
    void metadataRoundTripsInBothRootForms() throws Exception {
        FileMetadataType m = new FileMetadataType();
        m.setFileTransferUUID("ca342b89-9c73-48e9-904a-1db31b32a60b");
        m.setFileDescriptor(descriptor());
        m.setFileContentDescriptor(FileTypes.descriptor("SF1820_KSD"));

        Metadata contract = SftpXml.readMetadata(in(SftpXml.write(m)), "a.metadata");
        Metadata field = SftpXml.readMetadata(in(SftpXml.writeAsTrigger(m)), "b.metadata");

        for (Metadata read : new Metadata[] {contract, field}) {
            assertThat(read.fileTransferUUID()).isEqualTo("ca342b89-9c73-48e9-904a-1db31b32a60b");
            assertThat(read.fileName()).isEqualTo("KSD_DST_0561_M03_20180402134858.zip");
            assertThat(read.sizeInBytes()).isEqualTo(154645L);
            assertThat(read.sender()).isEqualTo("KSD_SFTPSIMPEL");
            assertThat(read.sendersFileId()).isEqualTo("67e072ec-2db2-4c38-aeb1-a71c135ce566");
        }
        assertThat(contract.root()).isEqualTo(SftpXml.FILE_METADATA);
        assertThat(field.root()).isEqualTo(SftpXml.TRIGGER);
    }

    @Test
    void technicalReceiptRoundTripsForSuccessAndErrors() throws Exception {
        TechnicalReceiptType ok = new TechnicalReceiptType();
        ok.setFileTransferUUID("ca342b89-9c73-48e9-904a-1db31b32a60b");
        ok.setSendersFileId("67e072ec-2db2-4c38-aeb1-a71c135ce566");
        ReceiptType receipt = new ReceiptType();
        receipt.setMessage("SUCCESS");
        ok.setReceipt(receipt);
        TechnicalReceiptType okBack = SftpXml.readTechnicalReceipt(in(SftpXml.write(ok)), "a.sftpreceipt");
        assertThat(okBack.getReceipt().getMessage()).isEqualTo("SUCCESS");
        assertThat(okBack.getSendersFileId()).isEqualTo("67e072ec-2db2-4c38-aeb1-a71c135ce566");

        TechnicalReceiptType failed = new TechnicalReceiptType();
        failed.setFileTransferUUID("ca342b89-9c73-48e9-904a-1db31b32a60b");
        for (int code : new int[] {201, 301}) {
            ErrorMessageType e = new ErrorMessageType();
            e.setErrorCode(code);
            e.setErrorCodeDescription("d" + code);
            e.setErrorDescription("text " + code);
            failed.getErrorMessage().add(e);
        }
        TechnicalReceiptType failedBack = SftpXml.readTechnicalReceipt(in(SftpXml.write(failed)), "b.sftpreceipt");
        assertThat(failedBack.getReceipt()).isNull();
        assertThat(failedBack.getErrorMessage())
                .extracting(ErrorMessageType::getErrorCode)
                .containsExactly(201, 301);
    }

    @Test
    void refusesAnExternalEntityPayload(@TempDir Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        String xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE t [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>\n"
                + "<ns2:Trigger xmlns:ns2=\"" + NS + "\"><FileDescriptor><FileName>&x;</FileName>"
                + "<SizeInBytes>3</SizeInBytes><Sender>s</Sender><Recipients>r</Recipients></FileDescriptor>"
                + "<FileContentDescriptor/></ns2:Trigger>";
        assertThatThrownBy(() -> SftpXml.readTrigger(in(xxe), "evil.trigger"))
                .isInstanceOf(SftpXmlException.class)
                .hasMessageContaining("evil.trigger")
                .hasMessageContaining("DOCTYPE")
                .hasMessageNotContaining("TOP-SECRET");
    }

    @Test
    void refusesEntityExpansion() {
        String bomb = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>"
                + "<ns2:Trigger xmlns:ns2=\"" + NS + "\">&b;</ns2:Trigger>";
        assertThatThrownBy(() -> SftpXml.readTrigger(in(bomb), "bomb.trigger"))
                .isInstanceOf(SftpXmlException.class)
                .hasMessageContaining("DOCTYPE");
    }

    @Test
    void schemaViolationNamesFileLineAndRule() {
        String xml = "<ns2:Trigger xmlns:ns2=\"" + NS + "\">\n<FileDescriptor><FileName>a.zip</FileName>\n"
                + "<SizeInBytes>-5</SizeInBytes><Sender>s</Sender><Recipients>r</Recipients></FileDescriptor>"
                + "<FileContentDescriptor/></ns2:Trigger>";
        assertThatThrownBy(() -> SftpXml.readTrigger(in(xml), "bad.trigger"))
                .isInstanceOf(SftpXmlException.class)
                .hasMessageContaining("bad.trigger")
                .hasMessageContaining("line 3")
                .hasMessageContaining("-5");
    }

    @Test
    void refusesAFileNameLongerThan255Characters() {
        String name = "a".repeat(256);
        String xml = "<ns2:Trigger xmlns:ns2=\"" + NS + "\"><FileDescriptor><FileName>" + name + "</FileName>"
                + "<SizeInBytes>1</SizeInBytes><Sender>s</Sender><Recipients>r</Recipients></FileDescriptor>"
                + "<FileContentDescriptor/></ns2:Trigger>";
        assertThatThrownBy(() -> SftpXml.readTrigger(in(xml), "long.trigger"))
                .isInstanceOf(SftpXmlException.class)
                .hasMessageContaining("maxLength");
    }

    @Test
    void refusesMalformedXmlAndTheWrongDocument() {
        assertThatThrownBy(() -> SftpXml.readTrigger(in("<ns2:Trigger"), "broken.trigger"))
                .isInstanceOf(SftpXmlException.class)
                .hasMessageContaining("broken.trigger");
        TechnicalReceiptType receipt = new TechnicalReceiptType();
        receipt.setFileTransferUUID("u");
        ReceiptType r = new ReceiptType();
        r.setMessage("SUCCESS");
        receipt.setReceipt(r);
        assertThatThrownBy(() -> SftpXml.readTrigger(in(SftpXml.write(receipt)), "receipt-as.trigger"))
                .isInstanceOf(SftpXmlException.class)
                .hasMessageContaining("expected")
                .hasMessageContaining("Trigger");
    }

    // A thread reuses its parser, unmarshallers and marshaller from one document to the next (issue 13's burst)

    @Test
    void aRefusedDocumentLeavesTheNextOneOnTheSameThreadReadableAndTheHardeningInPlace() throws Exception {
        byte[] valid = SftpXml.write(trigger());
        String doctype = "<?xml version=\"1.0\"?><!DOCTYPE t [<!ENTITY a \"a\">]><ns2:Trigger xmlns:ns2=\"" + NS
                + "\">&a;</ns2:Trigger>";
        for (int round = 0; round < 3; round++) {
            assertThat(SftpXml.readTrigger(in(valid), "valid.trigger")
                            .getFileDescriptor()
                            .getSendersFileId())
                    .isEqualTo("67e072ec-2db2-4c38-aeb1-a71c135ce566");
            // cut off mid-element: the parser and the unmarshaller stop inside a document
            assertThatThrownBy(() -> SftpXml.readTrigger(in(Arrays.copyOf(valid, valid.length / 2)), "cut.trigger"))
                    .isInstanceOf(SftpXmlException.class)
                    .hasMessageContaining("cut.trigger");
            assertThatThrownBy(() -> SftpXml.readTrigger(in(doctype), "doctype.trigger"))
                    .isInstanceOf(SftpXmlException.class)
                    .hasMessageContaining("DOCTYPE");
            TriggerType unwritable = trigger();
            unwritable.getFileDescriptor().setSendersFileId("id\u0001");
            assertThatThrownBy(() -> SftpXml.write(unwritable)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void threadsReadingAndWritingAtOnceEachGetTheirOwnDocument() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> read = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String id = "id-" + i;
                read.add(threads.submit(() -> {
                    TriggerType t = trigger();
                    t.getFileDescriptor().setSendersFileId(id);
                    return SftpXml.readTrigger(in(SftpXml.write(t)), id + ".trigger")
                            .getFileDescriptor()
                            .getSendersFileId();
                }));
            }
            for (int i = 0; i < read.size(); i++) {
                assertThat(read.get(i).get()).isEqualTo("id-" + i);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    // issue 10: XML 1.1 lets control characters in, which no XML 1.0 document can carry on

    @Test
    void refusesAnXml11TriggerCarryingAControlCharacter() {
        String xml = "<?xml version=\"1.1\" encoding=\"UTF-8\"?><ns2:Trigger xmlns:ns2=\"" + NS + "\"><FileDescriptor>"
                + "<FileName>a.zip</FileName><SizeInBytes>3</SizeInBytes><Sender>KSD_SFTPSIMPEL</Sender>"
                + "<SendersFileId>id&#1;</SendersFileId><Recipients>DST-CEMOS-SFTPUsername</Recipients>"
                + "</FileDescriptor><FileContentDescriptor/></ns2:Trigger>";
        assertThatThrownBy(() -> SftpXml.readTrigger(in(xml), "v11.trigger"))
                .isInstanceOf(SftpXmlException.class)
                .hasMessageContaining("v11.trigger")
                .hasMessageContaining("XML 1.1")
                .hasMessageContaining(SftpXml.XML_VERSION_REFUSED);
    }

    @Test
    void refusesXml11EvenWithoutControlCharacters() {
        TechnicalReceiptType receipt = new TechnicalReceiptType();
        receipt.setFileTransferUUID("ca342b89-9c73-48e9-904a-1db31b32a60b");
        ReceiptType message = new ReceiptType();
        message.setMessage("SUCCESS");
        receipt.setReceipt(message);
        String xml10 = new String(SftpXml.write(receipt), StandardCharsets.UTF_8);
        assertThat(xml10).startsWith("<?xml version=\"1.0\"");
        String xml11 = xml10.replaceFirst("version=\"1.0\"", "version=\"1.1\"");
        assertThatThrownBy(() -> SftpXml.readTechnicalReceipt(in(xml11), "v11.sftpreceipt"))
                .isInstanceOf(SftpXmlException.class)
                .hasMessageContaining(SftpXml.XML_VERSION_REFUSED);
    }

    @Test
    void neverWritesADocumentItCouldNotReadBack() {
        TechnicalReceiptType receipt = new TechnicalReceiptType();
        receipt.setFileTransferUUID("ca342b89-9c73-48e9-904a-1db31b32a60b");
        receipt.setSendersFileId("id\u0001");
        ReceiptType message = new ReceiptType();
        message.setMessage("SUCCESS");
        receipt.setReceipt(message);
        assertThatThrownBy(() -> SftpXml.write(receipt))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Cannot write TechnicalReceipt")
                .hasMessageContaining("0x1");

        TriggerType trigger = trigger();
        trigger.getFileDescriptor().setFileName("a\uFFFEb.zip");
        assertThatThrownBy(() -> SftpXml.write(trigger)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void xmlCharsMakesTextSafeForXml10() {
        assertThat(XmlChars.isXml10("KSD_DST æøå \t\n")).isTrue();
        assertThat(XmlChars.isXml10("a\u0001b")).isFalse();
        assertThat(XmlChars.isXml10("a\uD800b")).isFalse();
        assertThat(XmlChars.safe("a\u0001b\uFFFF")).isEqualTo("a\uFFFDb\uFFFD");
    }

    // issue 10: the real platform's documents are looser than the contract; read them, write strictly

    /** A metadata file as the real platform writes it: root ns2:Trigger, values on lines of their own. */
    static final String FIELD_METADATA = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <ns2:Trigger xmlns:ns2="http://serviceplatformen.dk/xml/wsdl/soap11/SFTP/1/types">
                <FileTransferUUID>
                    ca342b89-9c73-48e9-904a-1db31b32a60b
                </FileTransferUUID>
                <FileDescriptor>
                    <FileName> KSD_DST_0561_M03_20180402134858.zip
                    </FileName>
                    <SizeInBytes> 154645 </SizeInBytes>
                    <Sender>
                        KSD_SFTPSIMPEL
                    </Sender>
                    <Recipients>
                        DST-CEMOS-SFTPUsername
                    </Recipients>
                </FileDescriptor>
            </ns2:Trigger>
            """;

    @Test
    void readsTheFieldFormOfMetadataWithWhitespaceNoContentDescriptorAndNoSendersFileId() throws Exception {
        Metadata read = SftpXml.readMetadata(in(FIELD_METADATA), "field.metadata");
        assertThat(read.root()).isEqualTo(SftpXml.TRIGGER);
        assertThat(read.fileTransferUUID()).isEqualTo("ca342b89-9c73-48e9-904a-1db31b32a60b");
        assertThat(read.fileName()).isEqualTo("KSD_DST_0561_M03_20180402134858.zip");
        assertThat(read.sizeInBytes()).isEqualTo(154645L);
        assertThat(read.sender()).isEqualTo("KSD_SFTPSIMPEL");
        assertThat(read.fileDescriptor().getRecipients()).containsExactly("DST-CEMOS-SFTPUsername");
        assertThat(read.fileContentDescriptor()).isNull();
        assertThat(read.sendersFileId()).isNull();
        assertThat(read.transferId()).isEqualTo("KSD_DST_0561_M03_20180402134858.zip");
    }

    @Test
    void readsContractMetadataWithoutContentDescriptor() throws Exception {
        String xml = "<ns2:FileMetadata xmlns:ns2=\"" + NS + "\"><FileTransferUUID> u-1 </FileTransferUUID>"
                + "<FileDescriptor><FileName>a.zip</FileName><SizeInBytes>3</SizeInBytes><Sender>s</Sender>"
                + "<SendersFileId>\n  67e072ec-2db2-4c38-aeb1-a71c135ce566\n</SendersFileId>"
                + "<Recipients>r</Recipients></FileDescriptor></ns2:FileMetadata>";
        Metadata read = SftpXml.readMetadata(in(xml), "contract.metadata");
        assertThat(read.fileTransferUUID()).isEqualTo("u-1");
        assertThat(read.sendersFileId()).isEqualTo("67e072ec-2db2-4c38-aeb1-a71c135ce566");
        assertThat(read.transferId()).isEqualTo("67e072ec-2db2-4c38-aeb1-a71c135ce566");
    }

    @Test
    void metadataStillNeedsItsIdentifyingFields() {
        String noUuid = FIELD_METADATA.replaceAll(
                "(?s)<FileTransferUUID>.*</FileTransferUUID>", "<FileTransferUUID>  </FileTransferUUID>");
        assertThatThrownBy(() -> SftpXml.readMetadata(in(noUuid), "a.metadata"))
                .isInstanceOf(SftpXmlException.class)
                .hasMessageContaining("lacks FileTransferUUID");
        String noName = FIELD_METADATA.replaceAll("(?s)<FileName>.*</FileName>", "<FileName> </FileName>");
        assertThatThrownBy(() -> SftpXml.readMetadata(in(noName), "b.metadata"))
                .isInstanceOf(SftpXmlException.class)
                .hasMessageContaining("FileDescriptor/FileName is empty");
        String noSize = FIELD_METADATA.replaceAll("(?s)<SizeInBytes>.*</SizeInBytes>", "");
        assertThatThrownBy(() -> SftpXml.readMetadata(in(noSize), "c.metadata"))
                .isInstanceOf(SftpXmlException.class)
                .hasMessageContaining("c.metadata");
    }

    @Test
    void aSendersTriggerStaysStrict() {
        String xml = "<ns2:Trigger xmlns:ns2=\"" + NS + "\"><FileDescriptor><FileName>a.zip</FileName>"
                + "<SizeInBytes>3</SizeInBytes><Sender>s</Sender><Recipients>r</Recipients></FileDescriptor>"
                + "</ns2:Trigger>";
        assertThatThrownBy(() -> SftpXml.readTrigger(in(xml), "a.zip.trigger"))
                .isInstanceOf(SftpXmlException.class)
                .hasMessageContaining("FileContentDescriptor");
    }

    @Test
    void readsReceiptsWithWhitespaceAndWithoutSendersFileId() throws Exception {
        String success = """
                <?xml version="1.0" encoding="UTF-8"?>
                <ns2:TechnicalReceipt xmlns:ns2="http://serviceplatformen.dk/xml/wsdl/soap11/SFTP/1/types">
                    <FileTransferUUID>
                        ca342b89-9c73-48e9-904a-1db31b32a60b
                    </FileTransferUUID>
                    <Receipt>
                        <Message>
                            SUCCESS
                        </Message>
                    </Receipt>
                </ns2:TechnicalReceipt>
                """;
        TechnicalReceiptType ok = SftpXml.readTechnicalReceipt(in(success), "a.sftpreceipt");
        assertThat(ok.getFileTransferUUID()).isEqualTo("ca342b89-9c73-48e9-904a-1db31b32a60b");
        assertThat(ok.getSendersFileId()).isNull();
        assertThat(ok.getReceipt().getMessage()).isEqualTo("SUCCESS");

        String failed = "<ns2:TechnicalReceipt xmlns:ns2=\"" + NS + "\"><FileTransferUUID>u</FileTransferUUID>"
                + "<SendersFileId>  </SendersFileId><ErrorMessage><ErrorCode> 301 </ErrorCode>"
                + "<ErrorCodeDescription>\n size \n</ErrorCodeDescription><ErrorDescription> d </ErrorDescription>"
                + "</ErrorMessage></ns2:TechnicalReceipt>";
        TechnicalReceiptType error = SftpXml.readTechnicalReceipt(in(failed), "b.sftpreceipt");
        assertThat(error.getSendersFileId()).isNull();
        assertThat(error.getErrorMessage()).singleElement().satisfies(e -> {
            assertThat(e.getErrorCode()).isEqualTo(301);
            assertThat(e.getErrorCodeDescription()).isEqualTo("size");
            assertThat(e.getErrorDescription()).isEqualTo("d");
        });
    }
}

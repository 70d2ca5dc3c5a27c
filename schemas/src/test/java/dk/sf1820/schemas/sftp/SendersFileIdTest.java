package dk.sf1820.schemas.sftp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Issue 11: the transferId's form has one home, and it is the contract's. */
class SendersFileIdTest {

    @Test
    void isTheContractsUuidPattern() throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        NodeList types = factory.newDocumentBuilder()
                .parse(SftpXml.class
                        .getResource("/dk/sf1820/schemas/xml/sftp-contract.xsd")
                        .toExternalForm())
                .getElementsByTagNameNS(XMLConstants.W3C_XML_SCHEMA_NS_URI, "simpleType");
        String xsdPattern = null;
        for (int i = 0; i < types.getLength(); i++) {
            Element type = (Element) types.item(i);
            if (type.getAttribute("name").equals("UUID")) {
                xsdPattern = ((Element) type.getElementsByTagNameNS(XMLConstants.W3C_XML_SCHEMA_NS_URI, "pattern")
                                .item(0))
                        .getAttribute("value");
            }
        }

        assertThat(xsdPattern).isEqualTo(SendersFileId.PATTERN);
    }

    @Test
    void acceptsLowerCaseUuidsOnly() {
        String id = UUID.randomUUID().toString();

        assertThat(SendersFileId.isWellFormed(id)).isTrue();
        assertThat(SendersFileId.isWellFormed(id.toUpperCase())).isFalse();
        assertThat(SendersFileId.isWellFormed("../" + id)).isFalse();
        assertThat(SendersFileId.isWellFormed(null)).isFalse();
    }
}

package dk.sf1820.schemas.sftp;

import dk.sf1820.schemas.xml.BusinessReceiptType;
import dk.sf1820.schemas.xml.FileMetadataType;
import dk.sf1820.schemas.xml.ObjectFactory;
import dk.sf1820.schemas.xml.TechnicalReceiptType;
import dk.sf1820.schemas.xml.TriggerType;
import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBElement;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.UnmarshalException;
import jakarta.xml.bind.Unmarshaller;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.sax.SAXSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

/**
 * The one reader and writer of the SFTP contract's XML documents (trigger, metadata, technical and
 * business receipt).
 *
 * <p>Reading is hardened: a document with a DOCTYPE is refused outright, so neither external
 * entities nor entity expansion can happen, and every document is validated against the contract's
 * schema. Errors name the source, line, column and the broken rule. Reading is namespace-aware but
 * prefix-agnostic; writing uses the {@code ns2} prefix public clients use.
 */
public final class SftpXml {

    public static final String NAMESPACE = "http://serviceplatformen.dk/xml/wsdl/soap11/SFTP/1/types";
    public static final QName TRIGGER = new QName(NAMESPACE, "Trigger");
    public static final QName FILE_METADATA = new QName(NAMESPACE, "FileMetadata");
    public static final QName TECHNICAL_RECEIPT = new QName(NAMESPACE, "TechnicalReceipt");
    public static final QName BUSINESS_RECEIPT = new QName(NAMESPACE, "BusinessReceipt");

    private static final String XSD = "/dk/sf1820/schemas/xml/sftp-contract.xsd";
    private static final JAXBContext CONTEXT;
    private static final Schema SCHEMA;
    private static final SAXParserFactory PARSERS;
    private static final ObjectFactory FACTORY = new ObjectFactory();

    static {
        try {
            CONTEXT = JAXBContext.newInstance(ObjectFactory.class);
            SchemaFactory schemas = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            schemas.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            SCHEMA = schemas.newSchema(SftpXml.class.getResource(XSD));
            PARSERS = hardenedParsers();
        } catch (JAXBException | SAXException | ParserConfigurationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private SftpXml() {
    }

    private static SAXParserFactory hardenedParsers() throws ParserConfigurationException, SAXException {
        SAXParserFactory factory = SAXParserFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setXIncludeAware(false);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        return factory;
    }

    /** Reads a trigger file written by a sender. */
    public static TriggerType readTrigger(InputStream in, String source) throws SftpXmlException {
        return read(in, source, TRIGGER, TriggerType.class);
    }

    /** Reads a technical receipt written by the platform. */
    public static TechnicalReceiptType readTechnicalReceipt(InputStream in, String source) throws SftpXmlException {
        return read(in, source, TECHNICAL_RECEIPT, TechnicalReceiptType.class);
    }

    /** Reads a business receipt written by the platform. */
    public static BusinessReceiptType readBusinessReceipt(InputStream in, String source) throws SftpXmlException {
        return read(in, source, BUSINESS_RECEIPT, BusinessReceiptType.class);
    }

    /**
     * Reads a metadata file in either form the platform writes: the contract's {@code FileMetadata},
     * or the {@code Trigger} root with {@code FileTransferUUID} as its first child seen in the field.
     */
    public static Metadata readMetadata(InputStream in, String source) throws SftpXmlException {
        JAXBElement<?> root = unmarshal(in, source);
        if (root.getValue() instanceof FileMetadataType m) {
            return new Metadata(m.getFileTransferUUID(), m.getFileDescriptor(), m.getFileContentDescriptor(),
                    FILE_METADATA);
        }
        if (root.getValue() instanceof TriggerType t) {
            if (t.getFileTransferUUID() == null) {
                throw new SftpXmlException(source, "metadata with root Trigger lacks FileTransferUUID", null);
            }
            return new Metadata(t.getFileTransferUUID(), t.getFileDescriptor(), t.getFileContentDescriptor(),
                    TRIGGER);
        }
        throw wrongRoot(source, root.getName(), FILE_METADATA + " or " + TRIGGER);
    }

    public static byte[] write(TriggerType trigger) {
        return marshal(FACTORY.createTrigger(trigger));
    }

    public static byte[] write(FileMetadataType metadata) {
        return marshal(FACTORY.createFileMetadata(metadata));
    }

    public static byte[] write(TechnicalReceiptType receipt) {
        return marshal(FACTORY.createTechnicalReceipt(receipt));
    }

    public static byte[] write(BusinessReceiptType receipt) {
        return marshal(FACTORY.createBusinessReceipt(receipt));
    }

    /** Writes metadata in the field's form: root {@code Trigger} with {@code FileTransferUUID} first. */
    public static byte[] writeAsTrigger(FileMetadataType metadata) {
        TriggerType form = new TriggerType();
        form.setFileTransferUUID(metadata.getFileTransferUUID());
        form.setFileDescriptor(metadata.getFileDescriptor());
        form.setFileContentDescriptor(metadata.getFileContentDescriptor());
        return write(form);
    }

    private static <T> T read(InputStream in, String source, QName expected, Class<T> type)
            throws SftpXmlException {
        JAXBElement<?> root = unmarshal(in, source);
        if (!root.getName().equals(expected) || !type.isInstance(root.getValue())) {
            throw wrongRoot(source, root.getName(), expected.toString());
        }
        return type.cast(root.getValue());
    }

    private static JAXBElement<?> unmarshal(InputStream in, String source) throws SftpXmlException {
        try {
            XMLReader reader = PARSERS.newSAXParser().getXMLReader();
            InputSource input = new InputSource(in);
            input.setSystemId(source);
            Unmarshaller unmarshaller = CONTEXT.createUnmarshaller();
            unmarshaller.setSchema(SCHEMA);
            Object result = unmarshaller.unmarshal(new SAXSource(reader, input));
            if (result instanceof JAXBElement<?> element) {
                return element;
            }
            throw new SftpXmlException(source, "root element is not an SFTP contract document", null);
        } catch (UnmarshalException e) {
            throw new SftpXmlException(source, describe(e), e);
        } catch (JAXBException | SAXException | ParserConfigurationException e) {
            throw new SftpXmlException(source, String.valueOf(e.getMessage()), e);
        }
    }

    private static String describe(UnmarshalException e) {
        Throwable cause = e.getLinkedException() != null ? e.getLinkedException() : e.getCause();
        if (cause instanceof SAXParseException p) {
            return "line " + p.getLineNumber() + ", column " + p.getColumnNumber() + ": " + p.getMessage();
        }
        return cause != null ? String.valueOf(cause.getMessage()) : String.valueOf(e.getMessage());
    }

    private static SftpXmlException wrongRoot(String source, QName actual, String expected) {
        return new SftpXmlException(source, "root element is " + actual + ", expected " + expected, null);
    }

    private static byte[] marshal(JAXBElement<?> document) {
        try {
            Marshaller marshaller = CONTEXT.createMarshaller();
            marshaller.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, true);
            marshaller.setProperty(Marshaller.JAXB_ENCODING, "UTF-8");
            marshaller.setProperty("org.glassfish.jaxb.namespacePrefixMapper", new Ns2PrefixMapper());
            marshaller.setSchema(SCHEMA);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            marshaller.marshal(document, out);
            return out.toByteArray();
        } catch (JAXBException e) {
            throw new IllegalArgumentException("Cannot write " + document.getName().getLocalPart()
                    + ", it breaks the SFTP contract's schema: " + describeCause(e), e);
        }
    }

    private static String describeCause(JAXBException e) {
        Throwable cause = e.getLinkedException() != null ? e.getLinkedException() : e;
        return String.valueOf(cause.getMessage());
    }

    /** Writes the contract namespace as {@code ns2}, as public Serviceplatform clients do. */
    private static final class Ns2PrefixMapper extends org.glassfish.jaxb.runtime.marshaller.NamespacePrefixMapper {
        private static final Map<String, String> PREFIXES = Map.of(NAMESPACE, "ns2", FileTypes.NAMESPACE, "sf");

        @Override
        public String getPreferredPrefix(String namespaceUri, String suggestion, boolean requirePrefix) {
            return PREFIXES.getOrDefault(namespaceUri, suggestion);
        }
    }
}

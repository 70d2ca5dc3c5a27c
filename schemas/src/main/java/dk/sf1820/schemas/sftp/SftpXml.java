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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.sax.SAXSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.ext.Locator2;
import org.xml.sax.helpers.XMLFilterImpl;

/**
 * The one reader and writer of the SFTP contract's XML documents (trigger, metadata, technical and
 * business receipt).
 *
 * <p>Reading is hardened: a document with a DOCTYPE is refused outright, so neither external
 * entities nor entity expansion can happen; only XML 1.0 is read (XML 1.1 would let control
 * characters such as {@code &#1;} into values that no XML 1.0 document can carry on), and every
 * document is validated against the contract's schema. Errors name the source, line, column and the
 * broken rule. Reading is namespace-aware but prefix-agnostic; writing uses the {@code ns2} prefix
 * public clients use.
 *
 * <p>Strict where we write, tolerant where the real platform is loose: a sender's trigger is held to
 * the contract, while the platform's own documents (metadata, technical and business receipts) are
 * read with surrounding whitespace removed from every value and without a {@code FileContentDescriptor}
 * (the field form of the metadata has none). Every document written is first read back, so nothing
 * leaves this class that its own reader would refuse.
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
    /** The contract's schema with {@code FileContentDescriptor} optional, for the platform's documents. */
    private static final Schema PLATFORM_SCHEMA;

    private static final SAXParserFactory PARSERS;
    /** In the message of every document refused for declaring an XML version other than 1.0. */
    public static final String XML_VERSION_REFUSED = "only XML 1.0 is accepted";

    private static final ObjectFactory FACTORY = new ObjectFactory();

    static {
        try {
            CONTEXT = JAXBContext.newInstance(ObjectFactory.class);
            SchemaFactory schemas = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
            schemas.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            SCHEMA = schemas.newSchema(SftpXml.class.getResource(XSD));
            PLATFORM_SCHEMA = schemas.newSchema(withOptionalFileContentDescriptor());
            PARSERS = hardenedParsers();
        } catch (JAXBException | SAXException | ParserConfigurationException | IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private SftpXml() {}

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

    /**
     * The one XSD, loosened in one place for reading what the platform writes: derived here rather
     * than kept as a second file, so the two can never drift apart in any other rule.
     */
    private static DOMSource withOptionalFileContentDescriptor()
            throws ParserConfigurationException, SAXException, IOException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        String systemId = SftpXml.class.getResource(XSD).toExternalForm();
        Document xsd = factory.newDocumentBuilder().parse(systemId);
        NodeList elements = xsd.getElementsByTagNameNS(XMLConstants.W3C_XML_SCHEMA_NS_URI, "element");
        for (int i = 0; i < elements.getLength(); i++) {
            Element element = (Element) elements.item(i);
            if ("FileContentDescriptor".equals(element.getAttribute("name"))) {
                element.setAttribute("minOccurs", "0");
            }
        }
        return new DOMSource(xsd, systemId);
    }

    /** Reads a trigger file written by a sender. */
    public static TriggerType readTrigger(InputStream in, String source) throws SftpXmlException {
        return read(in, source, TRIGGER, TriggerType.class, SCHEMA);
    }

    /**
     * Reads a technical receipt written by the platform, tolerantly: values are stripped of surrounding
     * whitespace, and an empty {@code SendersFileId} counts as absent.
     */
    public static TechnicalReceiptType readTechnicalReceipt(InputStream in, String source) throws SftpXmlException {
        TechnicalReceiptType receipt = read(in, source, TECHNICAL_RECEIPT, TechnicalReceiptType.class, PLATFORM_SCHEMA);
        PlatformValues.strip(receipt);
        if (receipt.getFileTransferUUID() == null) {
            throw new SftpXmlException(source, "TechnicalReceipt/FileTransferUUID is empty", null);
        }
        return receipt;
    }

    /** Reads a business receipt written by the platform, with values stripped of surrounding whitespace. */
    public static BusinessReceiptType readBusinessReceipt(InputStream in, String source) throws SftpXmlException {
        BusinessReceiptType receipt = read(in, source, BUSINESS_RECEIPT, BusinessReceiptType.class, PLATFORM_SCHEMA);
        PlatformValues.strip(receipt);
        return receipt;
    }

    /**
     * Reads a metadata file in either form the platform writes: the contract's {@code FileMetadata},
     * or the {@code Trigger} root with {@code FileTransferUUID} as its first child seen in the field.
     * Tolerant as the field form needs: values are stripped of surrounding whitespace and
     * {@code FileContentDescriptor} may be missing; file name, size, sender, recipients and
     * {@code FileTransferUUID} must be there.
     */
    public static Metadata readMetadata(InputStream in, String source) throws SftpXmlException {
        JAXBElement<?> root = unmarshal(in, source, PLATFORM_SCHEMA);
        Metadata metadata;
        if (root.getValue() instanceof FileMetadataType m) {
            metadata = new Metadata(
                    PlatformValues.strip(m.getFileTransferUUID()),
                    m.getFileDescriptor(),
                    m.getFileContentDescriptor(),
                    FILE_METADATA);
        } else if (root.getValue() instanceof TriggerType t) {
            metadata = new Metadata(
                    PlatformValues.strip(t.getFileTransferUUID()),
                    t.getFileDescriptor(),
                    t.getFileContentDescriptor(),
                    TRIGGER);
        } else {
            throw wrongRoot(source, root.getName(), FILE_METADATA + " or " + TRIGGER);
        }
        PlatformValues.strip(metadata.fileDescriptor());
        if (metadata.fileTransferUUID() == null) {
            throw new SftpXmlException(
                    source, "metadata with root " + metadata.root().getLocalPart() + " lacks FileTransferUUID", null);
        }
        requirePresent(metadata.fileName(), "FileName", source);
        requirePresent(metadata.sender(), "Sender", source);
        if (metadata.fileDescriptor().getRecipients().isEmpty()) {
            throw new SftpXmlException(source, "metadata's FileDescriptor/Recipients are empty", null);
        }
        return metadata;
    }

    private static void requirePresent(String value, String field, String source) throws SftpXmlException {
        if (value == null) {
            throw new SftpXmlException(source, "metadata's FileDescriptor/" + field + " is empty", null);
        }
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

    private static <T> T read(InputStream in, String source, QName expected, Class<T> type, Schema schema)
            throws SftpXmlException {
        JAXBElement<?> root = unmarshal(in, source, schema);
        if (!root.getName().equals(expected) || !type.isInstance(root.getValue())) {
            throw wrongRoot(source, root.getName(), expected.toString());
        }
        return type.cast(root.getValue());
    }

    private static JAXBElement<?> unmarshal(InputStream in, String source, Schema schema) throws SftpXmlException {
        Tools tools = TOOLS.get();
        boolean reusable = false;
        try {
            XMLReader reader = new Xml10Only(tools.parser().getXMLReader());
            InputSource input = new InputSource(in);
            input.setSystemId(source);
            Object result = tools.unmarshaller(schema).unmarshal(new SAXSource(reader, input));
            reusable = true;
            if (result instanceof JAXBElement<?> element) {
                return element;
            }
            throw new SftpXmlException(source, "root element is not an SFTP contract document", null);
        } catch (UnmarshalException e) {
            throw new SftpXmlException(source, describe(e), e);
        } catch (JAXBException | SAXException | ParserConfigurationException e) {
            throw new SftpXmlException(source, String.valueOf(e.getMessage()), e);
        } finally {
            if (!reusable) {
                // a refused document may leave a parser or unmarshaller mid-document: the next one starts afresh
                TOOLS.remove();
            }
        }
    }

    /*
     * Per thread: creating a hardened SAX parser, an unmarshaller and a marshaller for every document cost more
     * than reading or writing the few hundred bytes of a trigger or receipt, at several documents per transfer
     * (the transporter's trigger, the platform's receipt and metadata, their readers). None of them is safe to
     * share between threads, each may be used again by one thread once its document is done.
     */
    private static final ThreadLocal<Tools> TOOLS = ThreadLocal.withInitial(Tools::new);

    private static final class Tools {
        private SAXParser parser;
        private Unmarshaller strict;
        private Unmarshaller platform;
        private Marshaller marshaller;

        /** The hardened parser, reset to the factory's settings (the hardening included) before each document. */
        SAXParser parser() throws ParserConfigurationException, SAXException {
            if (parser == null) {
                parser = PARSERS.newSAXParser();
            } else {
                parser.reset();
            }
            return parser;
        }

        Unmarshaller unmarshaller(Schema schema) throws JAXBException {
            if (schema == SCHEMA) {
                if (strict == null) {
                    strict = unmarshallerFor(SCHEMA);
                }
                return strict;
            }
            if (platform == null) {
                platform = unmarshallerFor(PLATFORM_SCHEMA);
            }
            return platform;
        }

        Marshaller marshaller() throws JAXBException {
            if (marshaller == null) {
                marshaller = CONTEXT.createMarshaller();
                marshaller.setProperty(Marshaller.JAXB_FORMATTED_OUTPUT, true);
                marshaller.setProperty(Marshaller.JAXB_ENCODING, "UTF-8");
                marshaller.setProperty("org.glassfish.jaxb.namespacePrefixMapper", new Ns2PrefixMapper());
                marshaller.setSchema(SCHEMA);
            }
            return marshaller;
        }

        private static Unmarshaller unmarshallerFor(Schema schema) throws JAXBException {
            Unmarshaller unmarshaller = CONTEXT.createUnmarshaller();
            unmarshaller.setSchema(schema);
            return unmarshaller;
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

    /**
     * Marshals and then reads the result back with the strict reader. JAXB writes any character it is
     * given, including control characters XML 1.0 cannot carry, so a document is only handed out once
     * it has been shown to be readable.
     */
    private static byte[] marshal(JAXBElement<?> document) {
        byte[] written = marshalUnchecked(document);
        try {
            unmarshal(new ByteArrayInputStream(written), document.getName().getLocalPart(), SCHEMA);
        } catch (SftpXmlException e) {
            throw new IllegalArgumentException(
                    "Cannot write " + document.getName().getLocalPart()
                            + ", the document would not be readable XML 1.0: " + e.getMessage(),
                    e);
        }
        return written;
    }

    private static byte[] marshalUnchecked(JAXBElement<?> document) {
        boolean reusable = false;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TOOLS.get().marshaller().marshal(document, out);
            reusable = true;
            return out.toByteArray();
        } catch (JAXBException e) {
            throw new IllegalArgumentException(
                    "Cannot write " + document.getName().getLocalPart() + ", it breaks the SFTP contract's schema: "
                            + describeCause(e),
                    e);
        } finally {
            if (!reusable) {
                TOOLS.remove();
            }
        }
    }

    private static String describeCause(JAXBException e) {
        Throwable cause = e.getLinkedException() != null ? e.getLinkedException() : e;
        return String.valueOf(cause.getMessage());
    }

    /**
     * Refuses an XML 1.1 document before its first element is handed on. The declared version is
     * known once the XML declaration has been read, i.e. by the first element at the latest.
     */
    private static final class Xml10Only extends XMLFilterImpl {

        private Locator locator;
        private boolean checked;

        Xml10Only(XMLReader parent) {
            super(parent);
        }

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
            super.setDocumentLocator(locator);
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            if (!checked) {
                checked = true;
                String version = locator instanceof Locator2 l2 ? l2.getXMLVersion() : null;
                if (version != null && !"1.0".equals(version)) {
                    throw new SAXParseException(
                            "the document declares XML " + version + "; " + XML_VERSION_REFUSED, locator);
                }
            }
            super.startElement(uri, localName, qName, atts);
        }
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

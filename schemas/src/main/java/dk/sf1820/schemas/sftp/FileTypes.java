package dk.sf1820.schemas.sftp;

import dk.sf1820.schemas.xml.FileContentDescriptorType;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The file type (e.g. {@code SF1820_KSD}) inside a trigger's {@code FileContentDescriptor}.
 *
 * <p>SF1820 says the descriptor holds "any" elements naming the file type, without naming the
 * element; the contract only allows elements from another namespace there. We write
 * {@code <sf:FileType xmlns:sf="urn:sf1820:filetype">SF1820_KSD</sf:FileType>} and, when reading,
 * take the text of the first foreign element, whatever its name.
 */
public final class FileTypes {

    public static final String NAMESPACE = "urn:sf1820:filetype";
    public static final String ELEMENT = "FileType";

    private FileTypes() {}

    /** A descriptor that names one file type. */
    public static FileContentDescriptorType descriptor(String fileType) {
        FileContentDescriptorType descriptor = new FileContentDescriptorType();
        descriptor.getAny().add(element(fileType));
        return descriptor;
    }

    /** The file type a descriptor names, if any. */
    public static Optional<String> of(FileContentDescriptorType descriptor) {
        if (descriptor == null) {
            return Optional.empty();
        }
        return descriptor.getAny().stream()
                .filter(Element.class::isInstance)
                .map(e -> ((Element) e).getTextContent().strip())
                .filter(s -> !s.isEmpty())
                .findFirst();
    }

    private static Element element(String fileType) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            Document document = factory.newDocumentBuilder().newDocument();
            Element element = document.createElementNS(NAMESPACE, "sf:" + ELEMENT);
            element.setTextContent(fileType);
            return element;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }
}

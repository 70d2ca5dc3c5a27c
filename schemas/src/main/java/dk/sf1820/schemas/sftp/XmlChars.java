package dk.sf1820.schemas.sftp;

/**
 * XML 1.0's {@code Char} production: what a document of the SFTP contract can carry. XML 1.1 also
 * allows most control characters (as {@code &#1;}), which an XML 1.0 reader refuses; the platform's
 * documents are XML 1.0, so text from outside (file names, parser messages) is checked or made safe
 * before it goes into one.
 */
public final class XmlChars {

    /** Put in place of a character XML 1.0 cannot carry. */
    public static final char REPLACEMENT = '\uFFFD';

    private XmlChars() {}

    /** Whether every character of {@code text} is one XML 1.0 can carry. */
    public static boolean isXml10(String text) {
        return text == null || text.codePoints().allMatch(XmlChars::isXml10Char);
    }

    /** {@code text} with every character XML 1.0 cannot carry replaced by U+FFFD. */
    public static String safe(String text) {
        if (isXml10(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(isXml10Char(c) ? c : REPLACEMENT));
        return out.toString();
    }

    /** {@code #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]}; lone surrogates are not. */
    static boolean isXml10Char(int c) {
        return c == 0x9
                || c == 0xA
                || c == 0xD
                || (c >= 0x20 && c <= 0xD7FF)
                || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }
}

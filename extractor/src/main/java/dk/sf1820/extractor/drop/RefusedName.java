package dk.sf1820.extractor.drop;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The name a refused file is kept under in {@code refused/}: its own, unless that leaves no room within the file
 * system's 255 bytes for the {@code .reason} beside it and a {@code .<millis>} that tells a second refusal of the
 * same name apart; then its start and a digest of the whole name (the reason names the file as dropped).
 */
final class RefusedName {

    /** NAME_MAX of Linux file systems, in bytes. */
    static final int NAME_MAX = 255;

    private static final int ROOM = NAME_MAX - DropFolderWatcher.REASON_SUFFIX.length() - ".1234567890123".length();
    private static final int DIGEST_CHARS = 12;

    private RefusedName() {}

    static String of(String dropped) {
        if (bytes(dropped) <= ROOM) {
            return dropped;
        }
        String digest = HexFormat.of().formatHex(sha256(dropped)).substring(0, DIGEST_CHARS);
        int budget = ROOM - DIGEST_CHARS - 1;
        StringBuilder kept = new StringBuilder();
        int used = 0;
        for (int i = 0; i < dropped.length(); ) {
            int codePoint = dropped.codePointAt(i);
            String character = new String(Character.toChars(codePoint));
            int size = bytes(character);
            if (used + size > budget) {
                break;
            }
            kept.append(character);
            used += size;
            i += Character.charCount(codePoint);
        }
        return kept + "-" + digest;
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}

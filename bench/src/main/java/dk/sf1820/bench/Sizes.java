package dk.sf1820.bench;

import java.util.Locale;

/** Sizes as the bench's command line writes them: {@code 1g}, {@code 512m}, {@code 64k} or bytes. */
final class Sizes {

    private Sizes() {}

    static long parse(String size) {
        String s = size.trim().toLowerCase(Locale.ROOT);
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'g' -> 1L << 30;
            case 'm' -> 1L << 20;
            case 'k' -> 1L << 10;
            default -> 1;
        };
        return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }
}

package dk.sf1820.app.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** Picks the candidate a typo was most likely meant to be: the one fewest single-character edits away. */
public final class ClosestMatch {

    private ClosestMatch() {}

    public static Optional<String> of(String typed, Collection<String> candidates) {
        String lower = typed.toLowerCase(java.util.Locale.ROOT);
        return candidates.stream()
                .min(Comparator.<String>comparingInt(c -> distance(lower, c.toLowerCase(java.util.Locale.ROOT)))
                        .thenComparing(Comparator.naturalOrder()));
    }

    /** Levenshtein distance: insertions, deletions and substitutions each count one. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}

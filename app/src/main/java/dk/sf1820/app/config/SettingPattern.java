package dk.sf1820.app.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One known setting as a sequence of name elements, some of which stand for a map key (a fagsystem
 * code, a dataset name), a list index ({@code accounts[0]}) or, for a map of plain values, the rest
 * of the name.
 */
record SettingPattern(List<Element> elements) {

    enum Kind {
        LITERAL,
        KEY,
        INDEX,
        REST
    }

    /** @param name the kebab-case name of a literal element; what the wildcard stands for otherwise */
    record Element(Kind kind, String name) {

        static Element literal(String name) {
            return new Element(Kind.LITERAL, name);
        }

        String uniform() {
            return SettingPattern.uniform(name);
        }
    }

    SettingPattern {
        elements = List.copyOf(elements);
    }

    SettingPattern with(Element element) {
        List<Element> longer = new ArrayList<>(elements);
        longer.add(element);
        return new SettingPattern(longer);
    }

    /** Lower case without dashes: the form in which relaxed binding compares names. */
    static String uniform(String element) {
        return element.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /**
     * @param tokens the name's elements in {@link #uniform} form
     * @param joined whether one element may span several tokens, as in environment variables, where
     *        {@code SCAN_INTERVAL} and {@code SCANINTERVAL} both stand for {@code scan-interval}
     */
    boolean matches(List<String> tokens, boolean joined) {
        return matches(0, 0, tokens, joined);
    }

    private boolean matches(int e, int t, List<String> tokens, boolean joined) {
        if (e == elements.size()) {
            return t == tokens.size();
        }
        if (t == tokens.size()) {
            return false;
        }
        Element element = elements.get(e);
        switch (element.kind()) {
            case REST:
                return true;
            case INDEX:
                return tokens.get(t).chars().allMatch(Character::isDigit) && matches(e + 1, t + 1, tokens, joined);
            case KEY:
                for (int end = t + 1; end <= (joined ? tokens.size() : t + 1); end++) {
                    if (matches(e + 1, end, tokens, joined)) {
                        return true;
                    }
                }
                return false;
            default:
                String wanted = element.uniform();
                StringBuilder spanned = new StringBuilder();
                for (int end = t + 1; end <= (joined ? tokens.size() : t + 1); end++) {
                    spanned.append(tokens.get(end - 1));
                    if (spanned.length() > wanted.length()) {
                        return false;
                    }
                    if (spanned.toString().equals(wanted) && matches(e + 1, end, tokens, joined)) {
                        return true;
                    }
                }
                return false;
        }
    }

    /**
     * The setting's name as a person would write it, with the wildcards filled from the name given
     * where it has an element at that position ({@code sf1820.registry.fagsystems.KSD.sftp-user}).
     */
    String display(List<String> given) {
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < elements.size(); i++) {
            Element element = elements.get(i);
            String at = i < given.size() ? given.get(i) : null;
            switch (element.kind()) {
                case INDEX ->
                    name.append('[')
                            .append(at != null && at.chars().allMatch(Character::isDigit) ? at : "0")
                            .append(']');
                case KEY -> name.append(name.isEmpty() ? "" : ".").append(at != null ? at : "<" + element.name() + ">");
                case REST ->
                    name.append(name.isEmpty() ? "" : ".")
                            .append(
                                    at != null
                                            ? String.join(".", given.subList(i, given.size()))
                                            : "<" + element.name() + ">");
                default -> name.append(name.isEmpty() ? "" : ".").append(element.name());
            }
        }
        return name.toString();
    }
}

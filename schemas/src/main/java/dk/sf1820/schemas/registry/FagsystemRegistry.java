package dk.sf1820.schemas.registry;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The fagsystems this installation knows. Configuration, not code: {@link #standard()} gives the
 * SF1820 defaults and a deployment may replace any entry.
 */
public final class FagsystemRegistry {

    private final Map<String, Fagsystem> byCode = new LinkedHashMap<>();

    public FagsystemRegistry(Collection<Fagsystem> fagsystems) {
        for (Fagsystem f : fagsystems) {
            if (byCode.put(f.code().toUpperCase(Locale.ROOT), f) != null) {
                throw new IllegalArgumentException("sf1820.registry: fagsystem " + f.code() + " is listed twice");
            }
        }
    }

    /** KSD, DUBU, KY, FBS and KP with extracts; VALG known but without one (SF1820 section 1). */
    public static FagsystemRegistry standard() {
        return new FagsystemRegistry(standardEntries());
    }

    public static List<Fagsystem> standardEntries() {
        return List.of(
                Fagsystem.withExtract("KSD", "Kommunernes Sygedagpengesystem"),
                Fagsystem.withExtract("DUBU", "Digitalisering - Udsatte Børn og Unge"),
                Fagsystem.withExtract("KY", "Kommunernes Ydelsessystem"),
                Fagsystem.withExtract("FBS", "Fælles Bibliotekssystem"),
                Fagsystem.withExtract("KP", "Kommunernes Pensionssystem"),
                Fagsystem.withoutExtract("VALG", "Administrativt valgsystem"));
    }

    public Optional<Fagsystem> find(String code) {
        return code == null ? Optional.empty() : Optional.ofNullable(byCode.get(code.toUpperCase(Locale.ROOT)));
    }

    /**
     * The fagsystem an extract may be made for.
     *
     * @throws ExtractRefusedException for an unknown code or a system without a specified extract
     */
    public Fagsystem requireExtract(String code) {
        Fagsystem f = find(code)
                .orElseThrow(() -> new ExtractRefusedException(
                        "fagsystem '" + code + "' is unknown; known: " + String.join(", ", byCode.keySet())));
        if (!f.extractSpecified()) {
            throw new ExtractRefusedException(
                    "fagsystem " + f.code() + " (" + f.name() + ") is refused: SF1820 specifies no extract for it");
        }
        return f;
    }

    /** The fagsystems with an extract, in registry order. */
    public List<Fagsystem> withExtract() {
        return byCode.values().stream().filter(Fagsystem::extractSpecified).toList();
    }

    public Collection<Fagsystem> all() {
        return byCode.values();
    }
}

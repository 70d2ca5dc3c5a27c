package dk.sf1820.dst;

import dk.sf1820.schemas.registry.DataFileName;

/** Names from the server made safe to use as local file names. */
final class LocalNames {

    private LocalNames() {}

    /**
     * The name itself if SF1820 allows it as a data file name (so no path, no control characters),
     * otherwise a copy with every doubtful character replaced by {@code _}: a hostile or broken name
     * must never choose where a file lands.
     */
    static String safe(String name) {
        if (DataFileName.violation(name).isEmpty()) {
            return name;
        }
        String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^\\.+", "_");
        if (cleaned.isEmpty()) {
            return "unnamed";
        }
        return cleaned.length() > DataFileName.MAX_LENGTH ? cleaned.substring(0, DataFileName.MAX_LENGTH) : cleaned;
    }
}

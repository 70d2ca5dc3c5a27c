package dk.sf1820.app.notifications;

import java.time.Instant;

/**
 * One thing the operator must hear about, once: what happened to which transfer, and why.
 *
 * @param kind what happened
 * @param key the durable identity of the notice: at most one mail is sent per key, e.g.
 *        {@code <transferId>|DELIVERY_FAILED}
 * @param transferId the transfer's SendersFileId, or null when a dead letter's key names none
 * @param fileName the data file's name, or null where the record does not tell
 * @param about fagsystem, authority and period, e.g. "KSD 0561 M03", or null where unknown
 * @param occurredAt when it happened
 * @param cause why, in the words of the stage or the platform
 * @param source the record it came from, {@code topic/partition@offset}, for the operator's reference
 */
record Notice(
        NoticeKind kind,
        String key,
        String transferId,
        String fileName,
        String about,
        Instant occurredAt,
        String cause,
        String source) {

    /** Longest cause quoted in a mail: a dead letter's reason can carry a whole payload dump. */
    static final int MAX_CAUSE = 2_000;

    private static final int MAX_SUBJECT_PART = 120;

    String subject() {
        String what = fileName != null ? fileName : transferId != null ? "transferId " + transferId : source;
        String subject = "[sf1820] " + kind.headline() + ": " + oneLine(what, MAX_SUBJECT_PART);
        return transferId == null ? subject : subject + " (transferId " + oneLine(transferId, 40) + ")";
    }

    String body() {
        StringBuilder body = new StringBuilder();
        body.append(kind.headline()).append(".\n\n");
        body.append("transferId: ")
                .append(transferId == null ? "unknown (the record has no usable key)" : transferId)
                .append('\n');
        body.append("file:       ")
                .append(fileName == null ? "unknown" : fileName)
                .append('\n');
        if (about != null) {
            body.append("transfer:   ").append(about).append('\n');
        }
        body.append("when:       ").append(occurredAt).append('\n');
        body.append("cause:      ").append(bounded(cause)).append("\n\n");
        if (transferId != null) {
            body.append("The transfer's timeline, every event in order:\n  ./sf1820 audit ")
                    .append(transferId)
                    .append("\n\n");
        }
        body.append(kind.advice()).append("\n\n");
        body.append("-- \nsf1820 sends one mail per transfer and event; from record ")
                .append(source)
                .append('\n');
        return body.toString();
    }

    /** Record content goes into a header: no line breaks or control characters, bounded length. */
    static String oneLine(String text, int max) {
        String flat = text.replaceAll("\\p{Cntrl}+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max) + "…";
    }

    private static String bounded(String text) {
        String kept = text.replaceAll("[\\p{Cntrl}&&[^\n\t]]", " ");
        return kept.length() <= MAX_CAUSE
                ? kept
                : kept.substring(0, MAX_CAUSE) + "… (cut; the full text is in the record)";
    }
}

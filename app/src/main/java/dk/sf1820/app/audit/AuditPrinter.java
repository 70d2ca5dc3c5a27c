package dk.sf1820.app.audit;

import dk.sf1820.extractor.SubmissionLedger.Unannounced;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Prints timelines and status tables as operators read them on a terminal. */
public final class AuditPrinter {

    private final PrintStream out;

    public AuditPrinter(PrintStream out) {
        this.out = out;
    }

    /** One transfer's timeline: a line per event (time, stage, event, where it lies), its details below. */
    public void timeline(String transferId, List<AuditEntry> entries) {
        AuditEntry first =
                entries.stream().filter(e -> e.ref() != null).findFirst().orElse(entries.get(0));
        out.printf(
                "transfer %s%s%n",
                transferId,
                first.ref() == null
                        ? ""
                        : "  fagsystem=" + first.ref().fagsystem() + " authority="
                                + first.ref().authority() + " period="
                                + first.ref().period());
        for (AuditEntry entry : entries) {
            out.printf(
                    "  %-24s  %-15s  %-21s  %s@%d:%d%n",
                    entry.at(), entry.stage(), entry.type(), entry.topic(), entry.partition(), entry.offset());
            entry.details().forEach((name, value) -> out.printf("      %-18s %s%n", name, value));
        }
    }

    /** The status table, the counts per state, and the transfers that need attention. */
    public void status(List<TransferStatus> statuses) {
        status(statuses, List.of(), List.of(), null);
    }

    /**
     * The status table, the counts per state, and what needs attention: the transfers, and the submissions
     * recorded but never announced (no ExtractReady on the topic, so the trail does not know them), and the
     * records that belong to no transfer ({@link AuditLog#strayRecords()}).
     */
    public void status(
            List<TransferStatus> statuses, List<Unannounced> unannounced, List<String> strayRecords, Clock clock) {
        String format = "%-36s  %-9s %-9s %-6s  %-17s %-24s  %s%n";
        out.printf(format, "TRANSFER", "FAGSYSTEM", "AUTHORITY", "PERIOD", "STATE", "SINCE", "FILE NAME");
        for (TransferStatus s : statuses) {
            out.printf(
                    format,
                    s.transferId(),
                    s.fagsystem(),
                    s.authority(),
                    s.period(),
                    s.state(),
                    s.since(),
                    s.fileName() == null ? "-" : s.fileName());
        }
        out.println();
        out.println(statuses.size() + " transfer(s): "
                + counts(statuses).entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(" ")));
        List<TransferStatus> attention =
                statuses.stream().filter(TransferStatus::needsAttention).toList();
        int needing = attention.size() + unannounced.size() + strayRecords.size();
        out.println(needing == 0 ? "nothing needs attention" : needing + " need(s) attention:");
        for (TransferStatus s : attention) {
            out.printf(
                    "  %s  %s %s %s  %s: %s%n",
                    s.transferId(), s.fagsystem(), s.authority(), s.period(), s.state(), s.attention());
        }
        for (Unannounced u : unannounced) {
            out.printf(
                    "  %s  %s %s %s  RECORDED, NEVER ANNOUNCED: accepted %s ago from %s (%s), no ExtractReady"
                            + " on the topic; the extractor announces it once Kafka is reachable and its staged copy is in"
                            + " place, or submit the extract again%n",
                    u.transferId(),
                    u.fagsystem(),
                    u.authority(),
                    u.period(),
                    age(u.age(clock)),
                    u.origin(),
                    u.source());
        }
        for (String stray : strayRecords) {
            out.printf("  NO TRANSFER: %s%n", stray);
        }
    }

    private static String age(Duration age) {
        Duration seconds = age.withNanos(0);
        return seconds.isNegative() ? "0s" : seconds.toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /** Transfers per state, in the order of the states. */
    public static Map<TransferState, Long> counts(List<TransferStatus> statuses) {
        return statuses.stream()
                .collect(Collectors.groupingBy(TransferStatus::state, TreeMap::new, Collectors.counting()));
    }
}

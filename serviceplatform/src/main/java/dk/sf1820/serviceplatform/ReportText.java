package dk.sf1820.serviceplatform;

import dk.sf1820.serviceplatform.housekeeping.HousekeepingReport;
import dk.sf1820.serviceplatform.scan.PlatformProblem;
import dk.sf1820.serviceplatform.scan.ScanReport;
import java.util.stream.Collectors;

/**
 * Reports as plain text for people and scripts: a summary line, then one {@code key=value} line per
 * trigger or file, in the style of the log lines, so {@code grep sendersFileId=…} finds both.
 */
final class ReportText {

    private ReportText() {}

    static String of(ScanReport report) {
        StringBuilder text = new StringBuilder()
                .append("scan startedAt=")
                .append(report.startedAt())
                .append(" triggers=")
                .append(report.triggers().size())
                .append(" delivered=")
                .append(report.delivered().size())
                .append(" rejected=")
                .append(report.rejected().size())
                .append(" deferred=")
                .append(report.deferred().size())
                .append('\n');
        for (ScanReport.TriggerOutcome t : report.triggers()) {
            text.append(t.status())
                    .append(" user=")
                    .append(t.user())
                    .append(" trigger=")
                    .append(t.triggerName())
                    .append(" file=")
                    .append(t.fileName())
                    .append(" sendersFileId=")
                    .append(t.sendersFileId())
                    .append(" fileTransferUUID=")
                    .append(t.fileTransferUUID());
            if (!t.problems().isEmpty()) {
                text.append(" errors=")
                        .append(t.errorCodes().stream().map(String::valueOf).collect(Collectors.joining(",")));
            }
            text.append('\n');
            for (PlatformProblem problem : t.problems()) {
                text.append("  ").append(problem).append('\n');
            }
        }
        return text.toString();
    }

    static String of(HousekeepingReport report) {
        StringBuilder text = new StringBuilder()
                .append("housekeeping ranAt=")
                .append(report.ranAt())
                .append(" warnings=")
                .append(report.warnings().size())
                .append(" deletions=")
                .append(report.deletions().size())
                .append('\n');
        report.warnings().forEach(n -> line(text, "WARNED", n));
        report.deletions().forEach(n -> line(text, "DELETED", n));
        return text.toString();
    }

    private static void line(StringBuilder text, String what, HousekeepingReport.FileNotice notice) {
        text.append(what)
                .append(" user=")
                .append(notice.user())
                .append(" file=")
                .append(notice.path())
                .append(" lastModified=")
                .append(notice.lastModified())
                .append(" deleteAt=")
                .append(notice.deleteAt())
                .append('\n');
    }
}

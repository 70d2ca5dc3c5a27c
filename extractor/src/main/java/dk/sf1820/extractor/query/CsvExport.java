package dk.sf1820.extractor.query;

import dk.sf1820.extractor.ExtractorProperties.Dataset;
import dk.sf1820.schemas.registry.Period;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Runs a dataset's query and streams its rows as delimited text: the driver fetches
 * {@code fetch-size} rows per round trip (PostgreSQL only uses a cursor outside auto-commit, hence
 * the read-only transaction) and each row is written before the next is read, so memory stays
 * constant whatever the number of rows.
 */
final class CsvExport {

    private static final Pattern PARAMETER = Pattern.compile("(?<!:):(period_start|period_end|authority)\\b");

    private final String name;
    private final Dataset dataset;

    CsvExport(String name, Dataset dataset) {
        this.name = name;
        this.dataset = dataset;
    }

    /** Writes the rows for a period and authority; returns the number of data rows. */
    long write(DataSource dataSource, Period period, String authority, OutputStream out) throws IOException {
        List<String> parameters = new ArrayList<>();
        Matcher m = PARAMETER.matcher(dataset.sql());
        StringBuilder sql = new StringBuilder();
        while (m.find()) {
            parameters.add(m.group(1));
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        try (Connection connection = dataSource.getConnection()) {
            connection.setReadOnly(true);
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(
                    sql.toString(), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                statement.setFetchSize(dataset.fetchSize());
                for (int i = 0; i < parameters.size(); i++) {
                    switch (parameters.get(i)) {
                        case "period_start" -> statement.setObject(i + 1, period.start());
                        case "period_end" -> statement.setObject(i + 1, period.end());
                        default -> statement.setString(i + 1, authority);
                    }
                }
                try (ResultSet rows = statement.executeQuery()) {
                    return write(rows, out);
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "dataset " + name + ": query failed for period " + period + ": " + e.getMessage(), e);
        }
    }

    private long write(ResultSet rows, OutputStream out) throws SQLException, IOException {
        ResultSetMetaData meta = rows.getMetaData();
        int columns = meta.getColumnCount();
        List<String> names = new ArrayList<>();
        for (int c = 1; c <= columns; c++) {
            names.add(meta.getColumnLabel(c));
        }
        if (!dataset.columns().isEmpty() && dataset.columns().size() != columns) {
            throw new IllegalStateException("dataset " + name + ": columns names "
                    + dataset.columns().size() + " columns but the query returns " + columns + " " + names);
        }
        List<String> header = dataset.columns().isEmpty() ? names : dataset.columns();
        CharsetEncoder encoder = dataset.encoding()
                .newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        // canEncode must not run on the encoder the writer is using
        CharsetEncoder checker = dataset.encoding().newEncoder();
        DateTimeFormatter dates = DateTimeFormatter.ofPattern(dataset.dateFormat());
        DateTimeFormatter timestamps = DateTimeFormatter.ofPattern(dataset.timestampFormat());
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, encoder), 64 * 1024);
        if (dataset.header()) {
            List<String> fields = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                fields.add(encodable(checker, header.get(c), 0, header.get(c)));
            }
            writeLine(writer, fields);
        }
        long count = 0;
        List<String> fields = new ArrayList<>(columns);
        while (rows.next()) {
            count++;
            fields.clear();
            for (int c = 1; c <= columns; c++) {
                String value = format(rows, c, meta.getColumnType(c), dates, timestamps);
                fields.add(encodable(checker, value, count, header.get(c - 1)));
            }
            writeLine(writer, fields);
        }
        writer.flush();
        return count;
    }

    private String format(ResultSet rows, int c, int type, DateTimeFormatter dates, DateTimeFormatter timestamps)
            throws SQLException {
        return switch (type) {
            case Types.DATE -> text(rows.getObject(c, LocalDate.class), dates);
            case Types.TIMESTAMP -> text(rows.getObject(c, LocalDateTime.class), timestamps);
            case Types.TIMESTAMP_WITH_TIMEZONE -> text(rows.getObject(c, OffsetDateTime.class), timestamps);
            case Types.DECIMAL, Types.NUMERIC, Types.DOUBLE, Types.FLOAT, Types.REAL -> {
                BigDecimal number = rows.getBigDecimal(c);
                yield number == null ? "" : number.toPlainString().replace(".", dataset.decimalSeparator());
            }
            default -> {
                String text = rows.getString(c);
                yield text == null ? "" : text;
            }
        };
    }

    private static String text(TemporalAccessor value, DateTimeFormatter format) {
        return value == null ? "" : format.format(value);
    }

    private String encodable(CharsetEncoder encoder, String value, long row, String column) {
        if (!encoder.canEncode(value)) {
            throw new IllegalStateException("dataset " + name + ": row " + row + " column " + column
                    + " holds a character " + dataset.encoding() + " cannot represent; change the dataset's encoding");
        }
        return value;
    }

    private void writeLine(Writer writer, List<String> fields) throws IOException {
        String delimiter = dataset.delimiter();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                writer.write(delimiter);
            }
            String field = fields.get(i);
            if (field.contains(delimiter)
                    || field.indexOf('"') >= 0
                    || field.indexOf('\n') >= 0
                    || field.indexOf('\r') >= 0) {
                writer.write('"');
                writer.write(field.replace("\"", "\"\""));
                writer.write('"');
            } else {
                writer.write(field);
            }
        }
        writer.write('\n');
    }
}

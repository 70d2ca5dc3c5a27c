package dk.sf1820.extractor.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dk.sf1820.extractor.ExtractorProperties.Dataset;
import dk.sf1820.extractor.ExtractorProperties.Jdbc;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.registry.Period;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The rows-to-text rules, on an in-memory H2 database (PostgresQueryIT runs them against PostgreSQL). */
class CsvExportTest {

    final JdbcDataSource db = new JdbcDataSource();

    @BeforeEach
    void rows() throws Exception {
        db.setURL("jdbc:h2:mem:csv-export;DB_CLOSE_DELAY=-1");
        try (Connection c = db.getConnection();
                Statement sql = c.createStatement()) {
            sql.execute("drop table if exists t");
            sql.execute("create table t (n int, txt varchar(40), amount decimal(8,2), at timestamp)");
            sql.execute("insert into t values (1, 'a|b', 1234.5, timestamp '2026-03-01 08:30:00'),"
                    + " (2, null, null, null), (3, 'multi\nline', -0.25, timestamp '2026-03-31 23:59:59')");
        }
    }

    static Dataset dataset(String sql, Charset encoding, List<String> columns, boolean header) {
        return new Dataset(
                "KSD",
                "0561",
                sql,
                columns,
                "|",
                encoding,
                header,
                ".",
                "yyyy-MM-dd",
                "dd/MM/yyyy HH:mm",
                null,
                ZoneId.of("Europe/Copenhagen"),
                Period.Kind.MONTH,
                2,
                null,
                new Jdbc("jdbc:h2:mem:x", null, null, 2));
    }

    @Test
    void quotesWhatWouldBreakTheLineAndFormatsNumbersAndTimestamps() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        long rows = new CsvExport("t", dataset("select * from t order by n", StandardCharsets.UTF_8, List.of(), false))
                .write(db, Period.parse("2026M03"), "0561", out);

        assertThat(rows).isEqualTo(3);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .isEqualTo("1|\"a|b\"|1234.50|01/03/2026 08:30\n2|||\n3|\"multi\nline\"|-0.25|31/03/2026 23:59\n");
    }

    @Test
    void aCharacterTheEncodingCannotHoldFailsTheRunNamingRowAndColumn() throws Exception {
        try (Connection c = db.getConnection();
                Statement sql = c.createStatement()) {
            sql.execute("update t set txt = 'Euro €' where n = 2");
        }
        CsvExport export = new CsvExport(
                "t",
                dataset(
                        "select n, txt from t order by n",
                        StandardCharsets.ISO_8859_1,
                        List.of("nummer", "tekst"),
                        true));

        assertThatThrownBy(() -> export.write(db, Period.parse("2026M03"), "0561", new ByteArrayOutputStream()))
                .hasMessage("dataset t: row 2 column tekst holds a character ISO-8859-1 cannot represent;"
                        + " change the dataset's encoding");
    }

    @Test
    void datasetSettingsThatCannotWorkAreNamedByTheirKeys() {
        Dataset bad = new Dataset(
                "VALG",
                "0999",
                "select 1",
                List.of(),
                "",
                StandardCharsets.UTF_8,
                true,
                ",",
                "yyyy-MM-dd",
                "not a pattern {",
                null,
                ZoneId.of("UTC"),
                Period.Kind.MONTH,
                10,
                null,
                new Jdbc("jdbc:h2:mem:x", null, null, 2));

        assertThat(QueryExtractor.problems("valg", bad, FagsystemRegistry.standard()))
                .satisfiesExactly(
                        p -> assertThat(p).startsWith("sf1820.extractor.datasets.valg.fagsystem: fagsystem VALG"),
                        p -> assertThat(p).startsWith("sf1820.extractor.datasets.valg.authority: authority '0999'"),
                        p -> assertThat(p).startsWith("sf1820.extractor.datasets.valg.timestamp-format: "),
                        p -> assertThat(p).startsWith("sf1820.extractor.datasets.valg.delimiter: "));
    }
}

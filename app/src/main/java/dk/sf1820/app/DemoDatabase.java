package dk.sf1820.app;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Random;

/**
 * The demo's sample database: an in-memory H2 database standing in for KSD's, with a year of sick-pay
 * payments, so that {@code ./sf1820 demo} runs the database-query source without a database server.
 * The rows are seeded (the same every run) apart from the run's own timestamp, so each demo run is a
 * new extract rather than a duplicate of the last one.
 */
final class DemoDatabase {

    static final String DATASET = "ksd-sygedagpenge";
    static final String URL = "jdbc:h2:mem:sf1820-demo;DB_CLOSE_DELAY=-1";
    private static final String USER = "sa";
    private static final int ROWS_PER_MONTH = 120;

    private DemoDatabase() {}

    /** The dataset's settings ({@code sf1820.extractor.datasets.ksd-sygedagpenge.*}) as the demo passes them. */
    static Map<String, Object> datasetProperties() {
        String prefix = "sf1820.extractor.datasets." + DATASET + ".";
        return Map.of(
                prefix + "fagsystem", "KSD",
                prefix + "authority", "0561",
                prefix + "sql",
                        "select sagsnummer, udbetalt, dage, beloeb, koersel from sygedagpenge"
                                + " where udbetalt >= :period_start and udbetalt < :period_end order by sagsnummer",
                prefix + "columns", "sagsnummer,udbetalt,dage,beloeb,koersel",
                prefix + "file-name", "ksd_sygedagpenge.csv",
                prefix + "jdbc.url", URL,
                prefix + "jdbc.username", USER);
    }

    /** (Re)creates the table with a year of payments for every month of {@code runAt}'s year. */
    static void fill(Instant runAt) {
        int year = runAt.atZone(ZoneOffset.UTC).getYear();
        Random random = new Random(year);
        try (Connection db = DriverManager.getConnection(URL, USER, "");
                Statement ddl = db.createStatement()) {
            ddl.execute("drop table if exists sygedagpenge");
            ddl.execute("create table sygedagpenge (sagsnummer varchar(12) primary key, udbetalt date not null,"
                    + " dage decimal(4,1) not null, beloeb decimal(10,2) not null, koersel timestamp not null)");
            try (PreparedStatement insert = db.prepareStatement("insert into sygedagpenge values (?, ?, ?, ?, ?)")) {
                for (int month = 1; month <= 12; month++) {
                    for (int i = 0; i < ROWS_PER_MONTH; i++) {
                        insert.setString(1, String.format("KSD-%02d-%04d", month, i));
                        insert.setObject(2, LocalDate.of(year, month, 1 + random.nextInt(28)));
                        insert.setBigDecimal(3, BigDecimal.valueOf(1 + random.nextInt(300), 1));
                        insert.setBigDecimal(4, BigDecimal.valueOf(50_000 + random.nextInt(2_000_000), 2));
                        insert.setTimestamp(5, Timestamp.from(runAt));
                        insert.addBatch();
                    }
                }
                insert.executeBatch();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot fill the demo's sample database " + URL + ": " + e.getMessage(), e);
        }
    }
}

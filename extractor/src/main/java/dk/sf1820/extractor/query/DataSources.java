package dk.sf1820.extractor.query;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dk.sf1820.extractor.ExtractorProperties.Jdbc;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * One HikariCP pool per dataset, opened on the dataset's first run: a database that is down at
 * start-up fails that dataset's runs (retried on the next check), not the whole extractor.
 */
public class DataSources implements AutoCloseable {

    private final Map<String, HikariDataSource> pools = new ConcurrentHashMap<>();

    DataSource get(String dataset, Jdbc jdbc) {
        return pools.computeIfAbsent(dataset, name -> {
            HikariConfig config = new HikariConfig();
            config.setPoolName("sf1820-dataset-" + name);
            config.setJdbcUrl(jdbc.url());
            config.setUsername(jdbc.username());
            config.setPassword(jdbc.password());
            config.setMaximumPoolSize(jdbc.maximumPoolSize());
            config.setMinimumIdle(0);
            config.setReadOnly(true);
            config.setAutoCommit(false);
            // Fail at the first query, not here: the database may come up after the extractor.
            config.setInitializationFailTimeout(-1);
            return new HikariDataSource(config);
        });
    }

    @Override
    public void close() {
        pools.values().forEach(HikariDataSource::close);
        pools.clear();
    }
}

package dk.sf1820.extractor.query;

import dk.sf1820.extractor.ExtractStager;
import dk.sf1820.extractor.ExtractSubmitter;
import dk.sf1820.extractor.ExtractorProperties.Dataset;
import dk.sf1820.schemas.registry.Authorities;
import dk.sf1820.schemas.registry.ExtractRefusedException;
import dk.sf1820.schemas.registry.ExtractSource;
import dk.sf1820.schemas.registry.FagsystemRegistry;
import dk.sf1820.schemas.registry.Period;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns a dataset's rows for one period into an extract: the query streams straight into the
 * staging area, and the ExtractReady carries the row count and the dataset's name.
 */
public class QueryExtractor {

    private static final Logger log = LoggerFactory.getLogger(QueryExtractor.class);

    private final Map<String, Dataset> datasets;
    private final DataSources dataSources;
    private final ExtractStager stager;
    private final ExtractSubmitter submitter;

    /**
     * @throws IllegalArgumentException naming the key of each dataset setting that cannot work
     */
    public QueryExtractor(
            Map<String, Dataset> datasets,
            FagsystemRegistry registry,
            DataSources dataSources,
            ExtractStager stager,
            ExtractSubmitter submitter) {
        List<String> problems = new ArrayList<>();
        datasets.forEach((name, dataset) -> problems.addAll(problems(name, dataset, registry)));
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid dataset configuration:\n  " + String.join("\n  ", problems));
        }
        this.datasets = Map.copyOf(datasets);
        this.dataSources = dataSources;
        this.stager = stager;
        this.submitter = submitter;
    }

    static List<String> problems(String name, Dataset dataset, FagsystemRegistry registry) {
        String key = "sf1820.extractor.datasets." + name;
        List<String> problems = new ArrayList<>();
        if (!name.matches("[A-Za-z0-9_-]+")) {
            problems.add(key + ": a dataset name is letters, digits, - and _ (it names files)");
        }
        check(
                problems,
                key + ".fagsystem",
                () -> registry.requireExtract(dataset.fagsystem()).requireSource(ExtractSource.QUERY));
        check(problems, key + ".authority", () -> Authorities.require(dataset.authority()));
        check(problems, key + ".date-format", () -> DateTimeFormatter.ofPattern(dataset.dateFormat()));
        check(problems, key + ".timestamp-format", () -> DateTimeFormatter.ofPattern(dataset.timestampFormat()));
        if (dataset.delimiter().isEmpty()
                || dataset.delimiter().contains("\"")
                || dataset.delimiter().contains("\n")) {
            problems.add(key + ".delimiter: '" + dataset.delimiter() + "' cannot separate fields");
        }
        return problems;
    }

    private static void check(List<String> problems, String key, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            problems.add(key + ": " + e.getMessage());
        }
    }

    /** The names of the configured datasets. */
    public Set<String> datasets() {
        return datasets.keySet();
    }

    /**
     * Runs a dataset for a period and announces the extract.
     *
     * @param periodText a period with its year, e.g. {@code 2026M03}: the query's date range needs it
     * @return the transferId
     * @throws ExtractRefusedException for an unknown dataset or a refused extract; a
     *         {@link dk.sf1820.extractor.DuplicateExtractException} when the same rows were delivered for
     *         the period before
     */
    public String run(String datasetName, String periodText, boolean resend) {
        Dataset dataset = datasets.get(datasetName);
        if (dataset == null) {
            throw new ExtractRefusedException(
                    "dataset '" + datasetName + "' is not configured; configured: " + datasets.keySet());
        }
        Period period = Period.parse(periodText);
        if (period.year().isEmpty()) {
            throw new ExtractRefusedException("period '" + periodText + "' names no year; dataset " + datasetName
                    + " selects rows by date and needs it, e.g. 2026" + periodText.strip());
        }
        DataSource dataSource = dataSources.get(datasetName, dataset.jdbc());
        CsvExport export = new CsvExport(datasetName, dataset);
        String fileName = dataset.fileName() != null ? dataset.fileName() : datasetName + ".csv";
        long started = System.nanoTime();
        ExtractStager.Staged<Long> staged = stager.stage(
                dataset.fagsystem(),
                dataset.authority(),
                period.value(),
                fileName,
                resend,
                ExtractSource.QUERY,
                "dataset " + datasetName + " " + period,
                out -> export.write(dataSource, period, dataset.authority(), out),
                (event, rows) -> {
                    event.setRowCount(rows);
                    event.setDataset(datasetName);
                    event.setEncoding(dataset.encoding().name());
                });
        String transferId = staged.extract().ref().transferId();
        // the transfer exists from here on: its lines carry the transferId field, also as structured (JSON) logs
        try (var ignored = MDC.putCloseable("transferId", transferId)) {
            log.info(
                    "dataset queried dataset={} period={} rows={} transferId={} millis={}",
                    datasetName,
                    period,
                    staged.result(),
                    transferId,
                    (System.nanoTime() - started) / 1_000_000);
            submitter.announce(staged.extract());
        }
        return transferId;
    }
}

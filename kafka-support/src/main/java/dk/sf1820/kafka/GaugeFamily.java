package dk.sf1820.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A gauge with one series per value of a tag, whose series stay registered while their values change.
 * {@link MultiGauge}'s own way to show new values, {@code register(rows, true)}, removes every series and
 * adds it again: a scrape in between found the metric missing, though nothing had changed but a number
 * (OperationsIT saw it under load). Here a series reads its value from this family at each scrape, so it
 * is registered once, when its tag value first appears, and removed only when that value is gone.
 */
final class GaugeFamily {

    private final MultiGauge gauge;
    private final String tag;
    private final Map<String, Double> values = new ConcurrentHashMap<>();

    GaugeFamily(MeterRegistry registry, String name, String tag, String baseUnit, String description) {
        this.gauge = MultiGauge.builder(name)
                .baseUnit(baseUnit)
                .description(description)
                .register(registry);
        this.tag = tag;
    }

    /** Shows exactly these series with these values: a tag value not in {@code now} loses its series. */
    void show(Map<String, Double> now) {
        show(now, Set.of());
    }

    /**
     * Shows these series with these values, and keeps the series of the tag values in {@code unknown} at their
     * last value: a figure that could not be taken this time (the sender's folder did not answer) is not a 0,
     * and a series that vanished would reset every alert on it. Any other tag value loses its series.
     */
    synchronized void show(Map<String, Double> now, Set<String> unknown) {
        Map<String, Double> shown = new TreeMap<>(now);
        unknown.stream()
                .filter(key -> !now.containsKey(key) && values.containsKey(key))
                .forEach(key -> shown.put(key, values.get(key)));
        // new values before new series, and stale series gone before their values: a scrape never reads a
        // series without a value
        values.putAll(shown);
        List<MultiGauge.Row<?>> rows = shown.keySet().stream()
                .<MultiGauge.Row<?>>map(key -> MultiGauge.Row.of(Tags.of(tag, key), this, family -> family.value(key)))
                .toList();
        gauge.register(rows, false);
        values.keySet().retainAll(shown.keySet());
    }

    private double value(String key) {
        return values.getOrDefault(key, Double.NaN);
    }
}

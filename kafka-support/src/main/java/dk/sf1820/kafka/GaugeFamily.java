package dk.sf1820.kafka;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
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
    synchronized void show(Map<String, Double> now) {
        // new values before new series, and stale series gone before their values: a scrape never reads a
        // series without a value
        values.putAll(now);
        List<MultiGauge.Row<?>> rows = now.keySet().stream()
                .<MultiGauge.Row<?>>map(key -> MultiGauge.Row.of(Tags.of(tag, key), this, family -> family.value(key)))
                .toList();
        gauge.register(rows, false);
        values.keySet().retainAll(now.keySet());
    }

    private double value(String key) {
        return values.getOrDefault(key, Double.NaN);
    }
}

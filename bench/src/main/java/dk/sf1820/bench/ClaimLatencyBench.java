package dk.sf1820.bench;

import dk.sf1820.extractor.drop.DoneMarkerWatch;
import dk.sf1820.extractor.drop.DropFolderWatcher;
import dk.sf1820.stage.PollSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long a dropped file with a {@code .done} marker waits before the drop folder claims it, polled every
 * 1 s as in {@code PipelineBench}, with and without {@link DoneMarkerWatch}. Files are dropped one at a time,
 * 0.2–1.1 s apart (seeded), so the poll's phase varies; the intake only notes the time.
 * {@code ClaimLatencyBench <empty dir> <watch: true|false> <files>}
 */
public final class ClaimLatencyBench {

    public static void main(String[] args) throws Exception {
        Path root = Files.createDirectories(Path.of(args[0]));
        boolean watch = Boolean.parseBoolean(args[1]);
        int files = Integer.parseInt(args[2]);
        Map<String, Long> markedAt = new ConcurrentHashMap<>();
        List<Long> waits = Collections.synchronizedList(new ArrayList<>());
        DropFolderWatcher watcher =
                new DropFolderWatcher(root, "bench", Duration.ofSeconds(30), Clock.systemUTC(), request -> {
                    waits.add(System.nanoTime()
                            - markedAt.get(request.file().getFileName().toString()));
                    return "bench";
                });
        PollSchedule schedule = new PollSchedule("bench-drop", watcher::poll, Duration.ofSeconds(1), Duration.ZERO, 0);
        DoneMarkerWatch markers = new DoneMarkerWatch(root, schedule::nudge);
        schedule.start();
        if (watch) {
            markers.start();
        }
        Random random = new Random(7);
        Path folder = Files.createDirectories(root.resolve("KSD/0561/M03"));
        Thread.sleep(500);
        for (int i = 0; i < files; i++) {
            Thread.sleep(200 + random.nextInt(900));
            String name = "f" + i + ".csv";
            Files.writeString(folder.resolve(name), "cpr;dage\n");
            markedAt.put(name, System.nanoTime());
            Files.writeString(folder.resolve(name + ".done"), "");
            while (waits.size() <= i) {
                Thread.sleep(1);
            }
        }
        markers.stop();
        schedule.stop();
        List<Long> ms = waits.stream().map(nanos -> nanos / 1_000_000).sorted().toList();
        System.out.printf(
                Locale.ROOT,
                "watch=%s files=%d wait from .done to claim: min %d ms, median %d ms, max %d ms%n",
                watch,
                files,
                ms.get(0),
                ms.get(files / 2),
                ms.get(files - 1));
    }
}

import dk.sf1820.schemas.events.EventDeserializer;
import dk.sf1820.schemas.events.Events;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The chaos scripts' own Kafka client: reads the outcome topic as a downstream consumer would
 * (read_committed), produces hostile records, and lists what reached the dead-letter topics. Run with
 * the application's classes and libraries on the class path (see chaos/lib.sh); it never uses the
 * pipeline's code paths except the event classes, to build well-formed records to tamper with.
 *
 * <pre>
 * outcomes BOOTSTRAP                      one line per outcome record: transferId TAB type TAB fileName
 * records BOOTSTRAP TOPIC                 one line per record: partition TAB offset TAB key TAB type-or-error
 * poison BOOTSTRAP SECRET_FILE            hostile records on every topic; one line each: topic TAB partition TAB offset TAB kind TAB key
 * dlt BOOTSTRAP TOPIC...                  one line per record on TOPIC.dlt: topic TAB origPartition TAB origOffset TAB key TAB reason
 * </pre>
 */
public final class ChaosKafka {

    static final List<String> TOPICS = List.of("sf1820.extract.ready", "sf1820.package.ready",
            "sf1820.transfer.uploaded", "sf1820.receipt.received", "sf1820.delivery.outcome", "sf1820.housekeeping",
            "sf1820.operator.actions");
    static final Map<String, String> TYPE_OF_TOPIC = Map.of("sf1820.extract.ready", "ExtractReady",
            "sf1820.package.ready", "PackageReady", "sf1820.transfer.uploaded", "TransferUploaded",
            "sf1820.receipt.received", "ReceiptReceived", "sf1820.delivery.outcome", "DeliverySucceeded",
            "sf1820.housekeeping", "HousekeepingPerformed", "sf1820.operator.actions", "ResendRequested");

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        switch (args[0]) {
            case "outcomes" -> {
                for (ConsumerRecord<byte[], byte[]> r : readAll(args[1], "sf1820.delivery.outcome", true)) {
                    try {
                        SpecificRecordBase e = new EventDeserializer().deserialize(r.topic(), r.value());
                        out.println(e.get("transferId") + "\t" + Events.typeOf(e) + "\t" + e.get("fileName"));
                    } catch (Throwable t) {
                        out.println("?\tUNDECODABLE\t" + r.partition() + "/" + r.offset());
                    }
                }
            }
            case "records" -> {
                for (ConsumerRecord<byte[], byte[]> r : readAll(args[1], args[2], true)) {
                    String what;
                    try {
                        what = Events.typeOf(new EventDeserializer().deserialize(r.topic(), r.value()));
                    } catch (Throwable t) {
                        what = "UNDECODABLE " + t.getClass().getSimpleName();
                    }
                    out.println(r.partition() + "\t" + r.offset() + "\t" + key(r) + "\t" + what);
                }
            }
            case "poison" -> poison(args[1], Path.of(args[2]), out);
            case "dlt" -> {
                for (int i = 2; i < args.length; i++) {
                    for (ConsumerRecord<byte[], byte[]> r : readAll(args[1], args[i] + ".dlt", false)) {
                        out.println(args[i] + "\t" + intHeader(r, "kafka_dlt-original-partition") + "\t"
                                + longHeader(r, "kafka_dlt-original-offset") + "\t" + key(r) + "\t"
                                + oneLine(stringHeader(r, "sf1820-dlt-reason")));
                    }
                }
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    /** Every record of a topic from the beginning to its current end (empty if the topic does not exist). */
    static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic, boolean committedOnly) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, committedOnly ? "read_committed" : "read_uncommitted");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (partitions == null || partitions.isEmpty()) {
                return records;
            }
            List<TopicPartition> tps = partitions.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline
                    && tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    static void poison(String bootstrap, Path secret, PrintStream out) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        Random random = new Random(1820);
        try (var producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            // the forged package first, and time for the transporter to take it, before records that may stop it
            // keyed by its own transferId, as a stage would key it, so that the packageRef rule is what refuses it
            byte[] forged = forgedPackageReady(bootstrap, secret);
            send(producer, "sf1820.package.ready", "forged-package-ref", transferIdOf(forged), forged, out);
            // a real ExtractReady relabelled as another municipality's, keyed by its own transferId: the packager
            // must refuse it by the extractor's submission record, not package the extract under another name
            byte[] relabelled = relabelledExtractReady(bootstrap);
            send(
                    producer,
                    "sf1820.extract.ready",
                    "relabelled-extract",
                    transferIdOf("sf1820.extract.ready", relabelled),
                    relabelled,
                    out);
            Thread.sleep(15_000);
            for (String topic : TOPICS) {
                Schema schema = schemaNamed(TYPE_OF_TOPIC.get(topic));
                byte[] header = header(schema);
                List<ConsumerRecord<byte[], byte[]>> existing = readAll(bootstrap, topic, true);
                byte[] real = existing.isEmpty() ? null : existing.get(0).value();

                // 1. 15 bytes whose first string claims 2^31-1 bytes (C3 01, fingerprint, zig-zag varint),
                // and 2^31-9 bytes, the largest array a JVM can allocate, which Avro does not refuse by itself
                send(producer, topic, "huge-string-length", concat(header, zigZagVarint(Integer.MAX_VALUE)), out);
                send(producer, topic, "huge-string-length-2GiB-8", concat(header, zigZagVarint(Integer.MAX_VALUE - 8)), out);
                // 2. a real event of this topic cut short
                byte[] truncated = real != null ? Arrays.copyOf(real, Math.max(11, real.length / 2))
                        : concat(header, new byte[] {0x48, 'a', 'b'});
                send(producer, topic, "truncated", truncated, out);
                // 3. a well-formed event of a type this topic does not carry
                send(producer, topic, "wrong-type", wrongType(topic, bootstrap), out);
                // 4. random bytes
                byte[] noise = new byte[64];
                random.nextBytes(noise);
                send(producer, topic, "random-bytes", noise, out);
                // 5. the topic's header followed by 900 KiB of noise
                byte[] big = new byte[900 * 1024];
                random.nextBytes(big);
                send(producer, topic, "oversize", concat(header, big), out);
                // 6. only the marker
                send(producer, topic, "marker-only", new byte[] {(byte) 0xC3, 0x01}, out);
                // 7. a real event of this topic under another key than its transferId (another partition)
                if (real != null) {
                    send(producer, topic, "mis-keyed", real, out);
                }
                // 8. a tombstone: a key without a value
                send(producer, topic, "tombstone", null, out);
            }
        }
    }

    /** A real PackageReady copied with a new transferId and a package outside the staging area, size and hash matching. */
    static byte[] forgedPackageReady(String bootstrap, Path secret) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> existing = readAll(bootstrap, "sf1820.package.ready", true);
        SpecificRecordBase template = null;
        for (var r : existing) {
            try {
                SpecificRecordBase e = new EventDeserializer().deserialize(r.topic(), r.value());
                if (Events.typeOf(e).equals("PackageReady")) {
                    template = e;
                }
            } catch (Throwable ignored) {
                // hostile records on the topic
            }
        }
        if (template == null) {
            throw new IllegalStateException("no PackageReady on sf1820.package.ready to copy; deliver one extract first");
        }
        byte[] bytes = Files.readAllBytes(secret);
        String fileName = String.valueOf(template.get("fileName"));
        template.put("eventId", UUID.randomUUID().toString());
        template.put("transferId", UUID.randomUUID().toString());
        template.put("packageRef", secret.toUri().toString());
        template.put("sizeBytes", (long) bytes.length);
        template.put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        // another second of the same name pattern, so the name itself is valid and unused
        template.put("fileName", fileName.replaceAll("\\d{6}\\.zip$", "235959.zip"));
        return encode(template);
    }

    static byte[] relabelledExtractReady(String bootstrap) throws Exception {
        for (var r : readAll(bootstrap, "sf1820.extract.ready", true)) {
            try {
                SpecificRecordBase e = new EventDeserializer().deserialize(r.topic(), r.value());
                if (Events.typeOf(e).equals("ExtractReady")) {
                    e.put("eventId", UUID.randomUUID().toString());
                    e.put("authority", "0101".equals(String.valueOf(e.get("authority"))) ? "0147" : "0101");
                    return encode(e);
                }
            } catch (Throwable ignored) {
                // hostile records on the topic
            }
        }
        throw new IllegalStateException("no ExtractReady on sf1820.extract.ready to copy; deliver one extract first");
    }

    static byte[] wrongType(String topic, String bootstrap) throws Exception {
        String source = topic.equals("sf1820.delivery.outcome") ? "sf1820.extract.ready" : "sf1820.delivery.outcome";
        for (var r : readAll(bootstrap, source, true)) {
            try {
                SpecificRecordBase e = new EventDeserializer().deserialize(r.topic(), r.value());
                e.put("eventId", UUID.randomUUID().toString());
                e.put("transferId", UUID.randomUUID().toString());
                return encode(e);
            } catch (Throwable ignored) {
                // look further
            }
        }
        throw new IllegalStateException("no event on " + source + " to copy; deliver one extract first");
    }

    static String transferIdOf(byte[] event) {
        return transferIdOf("sf1820.package.ready", event);
    }

    static String transferIdOf(String topic, byte[] event) {
        return String.valueOf(new EventDeserializer().deserialize(topic, event).get("transferId"));
    }

    static byte[] encode(SpecificRecordBase e) throws Exception {
        ByteBuffer b = new BinaryMessageEncoder<SpecificRecordBase>(SpecificData.get(), e.getSchema()).encode(e);
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    static Schema schemaNamed(String name) throws Exception {
        for (var type : Events.TYPES) {
            Schema s = (Schema) type.getField("SCHEMA$").get(null);
            if (s.getName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException(name);
    }

    static byte[] header(Schema schema) {
        ByteBuffer b = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0xC3).put((byte) 0x01).putLong(SchemaNormalization.parsingFingerprint64(schema));
        return b.array();
    }

    static void send(KafkaProducer<byte[], byte[]> producer, String topic, String kind, byte[] value, PrintStream out)
            throws Exception {
        send(producer, topic, kind, "chaos-" + kind + "-" + UUID.randomUUID(), value, out);
    }

    static void send(
            KafkaProducer<byte[], byte[]> producer, String topic, String kind, String key, byte[] value, PrintStream out)
            throws Exception {
        RecordMetadata m = producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
        out.println(topic + "\t" + m.partition() + "\t" + m.offset() + "\t" + kind + "\t" + key);
    }

    static byte[] zigZagVarint(long n) {
        long z = (n << 1) ^ (n >> 63);
        var bytes = new java.io.ByteArrayOutputStream();
        while ((z & ~0x7FL) != 0) {
            bytes.write((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        bytes.write((int) z);
        return bytes.toByteArray();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static String key(ConsumerRecord<byte[], byte[]> r) {
        return r.key() == null ? "-" : new String(r.key(), StandardCharsets.UTF_8);
    }

    static String stringHeader(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    static String intHeader(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value().length != 4 ? "?" : Integer.toString(ByteBuffer.wrap(h.value()).getInt());
    }

    static String longHeader(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value().length != 8 ? "?" : Long.toString(ByteBuffer.wrap(h.value()).getLong());
    }

    static String oneLine(String s) {
        String line = s.replaceAll("[\\r\\n\\t]+", " ");
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}

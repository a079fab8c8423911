package dev.revstream.tools.importer;

import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes an imported CRM export into the input topics: the deal events in time order, then a
 * {@code HEARTBEAT} at the as-of time to every partition of the touchpoints topic, because an
 * export is a snapshot at a point in time and a replay should report every window ending by then.
 */
public final class CrmImporter {
    private CrmImporter() {}

    /** Writes the events and heartbeats; every write is acknowledged before it returns. */
    public static void write(RevstreamConfig cfg, CrmRecords records, long asOf) throws Exception {
        KafkaTopics.ensure(cfg);
        Properties p = KafkaTopics.producerProperties(cfg);
        List<CrmRecords.DealEvent> events = new ArrayList<>(records.events);
        events.sort(Comparator.comparingLong(CrmRecords.DealEvent::occurredAt));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>();
            for (CrmRecords.DealEvent e : events) {
                acks.add(producer.send(new ProducerRecord<>(
                        cfg.topics().deals(),
                        e.accountId().getBytes(StandardCharsets.UTF_8),
                        e.json().getBytes(StandardCharsets.UTF_8))));
            }
            int partitions = producer.partitionsFor(cfg.topics().touchpoints()).size();
            for (int i = 0; i < partitions; i++) {
                String hb = "{\"eventId\":\"import-as-of-" + asOf + "-" + i + "\",\"occurredAt\":\""
                        + Instant.ofEpochMilli(asOf) + "\",\"source\":\"" + MavenCrmFormat.SOURCE
                        + "\",\"type\":\"HEARTBEAT\"}";
                acks.add(producer.send(new ProducerRecord<>(
                        cfg.topics().touchpoints(), i, null, hb.getBytes(StandardCharsets.UTF_8))));
            }
            producer.flush();
            for (Future<RecordMetadata> a : acks) {
                a.get(60, TimeUnit.SECONDS);
            }
        }
    }
}

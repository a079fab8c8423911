package dev.revstream.job;

import dev.revstream.config.RevstreamConfig;
import dev.revstream.ingest.EventParser;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.model.Event;
import dev.revstream.model.Ingested;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The fast pre-scan of a bounded run: reads the input topics up to their current end with the
 * job's own parser and de-duplication by (source, eventId), and finds the earliest and latest
 * {@code occurredAt} of the accepted events. The latest is the run's as-of time unless one is given;
 * the end offsets it read to are where the bounded job stops, so scan and job see the same input.
 * It also measures the input's disorder: how far, at most, a valid record of a partition lies behind
 * the latest one before it in that partition; a bounded run's watermarks allow that much, so that no
 * event of the replay is behind them, whatever the order in the topics.
 */
public final class AsOfScanner {
    private AsOfScanner() {}

    /** The scan's findings; the times are null when no event was accepted. */
    public record Span(
            Long earliest,
            Long latest,
            long accepted,
            long rejected,
            long duplicates,
            Map<TopicPartition, Long> endOffsets,
            long disorderMillis) {}

    public static Span scan(RevstreamConfig cfg) {
        EventParser parser = new EventParser(cfg.ingestSettings());
        Properties p = KafkaTopics.committedConsumerProperties(cfg);
        Map<TopicPartition, Long> end;
        Set<String> seen = new HashSet<>();
        Long earliest = null;
        Long latest = null;
        long accepted = 0;
        long rejected = 0;
        long duplicates = 0;
        long now = System.currentTimeMillis();
        Map<TopicPartition, Long> latestIn = new HashMap<>();
        long disorder = 0;
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = new ArrayList<>();
            for (String topic : cfg.inputTopics()) {
                c.partitionsFor(topic, Duration.ofSeconds(30))
                        .forEach(pi -> parts.add(new TopicPartition(topic, pi.partition())));
            }
            c.assign(parts);
            c.seekToBeginning(parts);
            end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue; // written after the scan started: not part of this run
                    }
                    List<Ingested> yielded = new ArrayList<>(1);
                    parser.parse(
                            r.topic(), r.partition(), r.offset(), r.key(), r.value(), r.timestamp(), now, yielded::add);
                    for (Ingested in : yielded) {
                        Event e = in.event();
                        if (in.skipped() != null) {
                            continue; // a part of a vendor's record that yields no event
                        }
                        if (e != null) {
                            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                            Long before = latestIn.get(tp);
                            if (before != null && before > e.occurredAt()) {
                                disorder = Math.max(disorder, before - e.occurredAt());
                            }
                            latestIn.put(tp, before == null ? e.occurredAt() : Math.max(before, e.occurredAt()));
                        }
                        if (e == null) {
                            rejected++;
                        } else if (!seen.add(e.dedupKey())) {
                            duplicates++;
                        } else {
                            accepted++;
                            earliest = earliest == null ? e.occurredAt() : Math.min(earliest, e.occurredAt());
                            latest = latest == null ? e.occurredAt() : Math.max(latest, e.occurredAt());
                        }
                    }
                }
            }
        }
        return new Span(earliest, latest, accepted, rejected, duplicates, Map.copyOf(end), disorder);
    }
}

package dev.revstream.job.kafka;

import dev.revstream.ingest.EventParser;
import dev.revstream.ingest.IngestSettings;
import dev.revstream.model.Ingested;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Parses and validates every input record inside the Kafka source, so that the watermark
 * generator sees only valid event times. A record in a vendor's format (the topic's
 * {@code ingest.formats}) may yield several events, or none. Never throws for bad input: a record the
 * contract rejects becomes a dead letter.
 */
public class IngestDeserializer implements KafkaRecordDeserializationSchema<Ingested> {
    private static final long serialVersionUID = 1L;

    private final EventParser parser;

    public IngestDeserializer(IngestSettings settings) {
        this.parser = new EventParser(settings);
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {}

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> r, Collector<Ingested> out) {
        parser.parse(
                r.topic(),
                r.partition(),
                r.offset(),
                r.key(),
                r.value(),
                r.timestamp(),
                System.currentTimeMillis(),
                out::collect);
    }

    @Override
    public TypeInformation<Ingested> getProducedType() {
        return Types.POJO(Ingested.class);
    }
}

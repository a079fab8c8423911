package dev.revstream.job.kafka;

import dev.revstream.job.state.RecordFailures;
import dev.revstream.kafka.OutputJson;
import dev.revstream.model.DeadLetter;
import dev.revstream.model.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.function.SerializableFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes elements of one output topic: a UTF-8 key and a JSON value. The record timestamp is left
 * to the producer (the wall-clock time of the write), which consumers use as "when revstream wrote
 * it" and which is valid for any event time, even one before 1970.
 *
 * <p>Fenced: an element whose key or value cannot be written (a bug: nothing in the contract should)
 * becomes a {@code RECORD_FAILED} dead letter on the dead-letter topic instead, in the same transaction
 * ({@code topic} {@code sink:<topic>}, the element's text as payload, at most 64 KiB), counted in the
 * sink's {@code revstream.sinkFailures}; the job does not restart on it.
 */
public class JsonRecords<T> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JsonRecords.class);
    private static final int MAX_PAYLOAD = 64 * 1024;

    private final String topic;
    private final String deadLetterTopic;
    private final SerializableFunction<T, String> key;
    private final SerializableFunction<T, byte[]> value;
    private transient Counter failures;

    /** @param deadLetterTopic where an element that cannot be written goes instead */
    public JsonRecords(
            String topic,
            String deadLetterTopic,
            SerializableFunction<T, String> key,
            SerializableFunction<T, byte[]> value) {
        this.topic = topic;
        this.deadLetterTopic = deadLetterTopic;
        this.key = key;
        this.value = value;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        failures = context.getMetricGroup().addGroup("revstream").counter("sinkFailures");
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T element, KafkaSinkContext context, Long timestamp) {
        try {
            String k = key.apply(element);
            return new ProducerRecord<>(
                    topic, null, null, k == null ? null : k.getBytes(StandardCharsets.UTF_8), value.apply(element));
        } catch (RuntimeException | StackOverflowError e) {
            return failed(element, e);
        }
    }

    private ProducerRecord<byte[], byte[]> failed(T element, Throwable e) {
        LOG.warn("an element for {} could not be written and is a dead letter", topic, e);
        if (failures != null) {
            failures.inc();
        }
        byte[] text = String.valueOf(element).getBytes(StandardCharsets.UTF_8);
        long now = System.currentTimeMillis();
        byte[] key = ("sink:" + topic).getBytes(StandardCharsets.UTF_8);
        DeadLetter d = new DeadLetter(
                ErrorCode.RECORD_FAILED,
                null,
                null,
                "writing a record to " + topic + " failed: " + RecordFailures.describe(e) + "; the record is not in "
                        + topic + " (the payload is its text), the job goes on",
                "revstream-sink",
                now,
                "sink:" + topic,
                -1,
                -1,
                key,
                now,
                text.length > MAX_PAYLOAD ? Arrays.copyOf(text, MAX_PAYLOAD) : text,
                text.length,
                null,
                text.length > MAX_PAYLOAD);
        return new ProducerRecord<>(deadLetterTopic, null, null, key, OutputJson.deadLetter(d));
    }
}

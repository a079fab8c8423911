package dev.revstream.job.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A sink's serializer that fails on one element (a bug) writes a {@code RECORD_FAILED} dead letter in its
 * place instead of throwing (which would restart the job on the same element forever); the elements
 * around it are written as usual.
 */
class JsonRecordsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Thing(String id, String text) {}

    @Test
    void anElementThatCannotBeWrittenIsADeadLetterInItsPlace() throws Exception {
        JsonRecords<Thing> records = new JsonRecords<>("revops.things", "revops.deadletter", Thing::id, t -> {
            if (t.text().startsWith("poison")) {
                throw new IllegalStateException("cannot write " + t.id());
            }
            return ("{\"id\":\"" + t.id() + "\"}").getBytes(StandardCharsets.UTF_8);
        });

        ProducerRecord<byte[], byte[]> good = records.serialize(new Thing("t-1", "fine"), null, null);
        assertThat(good.topic()).isEqualTo("revops.things");
        assertThat(new String(good.key(), StandardCharsets.UTF_8)).isEqualTo("t-1");

        ProducerRecord<byte[], byte[]> bad =
                records.serialize(new Thing("t-2", "poison" + "x".repeat(100_000)), null, null);
        assertThat(bad.topic()).isEqualTo("revops.deadletter");
        JsonNode d = JSON.readTree(bad.value());
        assertThat(d.get("errorCode").asText()).isEqualTo("RECORD_FAILED");
        assertThat(d.get("topic").asText()).isEqualTo("sink:revops.things");
        assertThat(d.get("message").asText())
                .contains("writing a record to revops.things failed")
                .contains("IllegalStateException: cannot write t-2");
        assertThat(d.get("truncated").asBoolean()).isTrue();
        assertThat(d.get("payloadEncoding").asText()).isEqualTo("utf8");
        assertThat(d.get("payload").asText()).startsWith("Thing[id=t-2, text=poison");
        assertThat(bad.value().length).isLessThan(100_000);

        assertThat(records.serialize(new Thing("t-3", "fine"), null, null).topic())
                .isEqualTo("revops.things");
    }
}

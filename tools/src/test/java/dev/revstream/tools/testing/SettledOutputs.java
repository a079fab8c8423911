package dev.revstream.tools.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revstream.config.RevstreamConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The settled outputs of a run up to an event time, as the contract defines them (docs/outputs.md, "Late
 * data and corrections"): the alerts whose latest record is not withdrawn, the journey updates and
 * credits less the retracted, and the latest revision of every KPI window (a withdrawn or all-zero one
 * as if never reported). Two runs of the same events settle equal whatever the arrival order, within
 * the correction horizon.
 *
 * @param alerts by alert id: the latest record, without {@code late} and {@code status}
 * @param journey each update (without {@code retracted}) and how many times it stands
 * @param credits each credit (without {@code retracted}) and how many times it stands
 * @param kpis by window and dimension value: the latest figures, without {@code revision}
 * @param actions each recommendation record (without {@code retracted}) and how many times it stands
 */
public record SettledOutputs(
        Map<String, String> alerts,
        Map<String, Integer> journey,
        Map<String, Integer> credits,
        Map<String, String> kpis,
        Map<String, Integer> actions) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The topics a run writes its outputs to. */
    public record Topics(String alerts, String journey, String attribution, String kpis, String actions) {}

    /** What a run's output topics hold, read committed, for times up to {@code asOf}. */
    public static SettledOutputs of(RevstreamConfig cfg, long asOf) {
        return read(
                cfg.kafka().bootstrapServers(),
                new Topics(
                        cfg.topics().alerts(),
                        cfg.topics().journey(),
                        cfg.topics().attribution(),
                        cfg.topics().kpis(),
                        cfg.topics().actions()),
                asOf);
    }

    /** What {@code topics} hold, read committed, for times up to {@code asOf} (later ones are still moving). */
    public static SettledOutputs read(String bootstrap, Topics topics, long asOf) {
        Map<String, String> alerts = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicIo.readAll(bootstrap, topics.alerts(), true)) {
            JsonNode n = json(r);
            if (at(n, "triggeredAt") > asOf) {
                continue;
            }
            String id = n.get("alertId").asText();
            if ("WITHDRAWN".equals(n.path("status").asText())) {
                alerts.remove(id);
            } else {
                alerts.put(id, without(n, "late", "status").toString());
            }
        }
        Map<String, Integer> journey = standing(bootstrap, topics.journey(), "at", asOf);
        Map<String, Integer> credits = standing(bootstrap, topics.attribution(), "wonAt", asOf);
        Map<String, String> kpis = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicIo.readAll(bootstrap, topics.kpis(), true)) {
            JsonNode n = json(r);
            if (at(n, "windowEnd") > asOf) {
                continue;
            }
            String key = n.get("windowSize").asText() + " "
                    + n.get("windowStart").asText() + " " + n.get("dimension").asText() + "="
                    + n.get("dimensionValue").asText();
            JsonNode figures = without(n, "revision");
            if (n.path("withdrawn").asBoolean() || allZero(figures)) {
                kpis.remove(key); // no figures: as if never reported (where windows begin differs, see KpiEngine)
            } else {
                kpis.put(key, figures.toString());
            }
        }
        Map<String, Integer> actions = standing(bootstrap, topics.actions(), "at", asOf);
        return new SettledOutputs(alerts, journey, credits, kpis, actions);
    }

    /**
     * The records of a topic whose {@code timeField} is up to {@code asOf}, each (without {@code retracted})
     * with how many times it stands: once per record, less once per retraction.
     */
    private static Map<String, Integer> standing(String bootstrap, String topic, String timeField, long asOf) {
        Map<String, Integer> out = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicIo.readAll(bootstrap, topic, true)) {
            JsonNode n = json(r);
            if (at(n, timeField) <= asOf) {
                count(
                        out,
                        without(n, "retracted").toString(),
                        n.path("retracted").asBoolean() ? -1 : 1);
            }
        }
        return out;
    }

    /** Prints up to eight differences per output against {@code expected}, to read beside a failed assertion. */
    public void printDifferences(String expectedName, SettledOutputs expected, String actualName) {
        diff("alerts", expected.alerts, alerts, expectedName, actualName);
        diff("journey", expected.journey, journey, expectedName, actualName);
        diff("credits", expected.credits, credits, expectedName, actualName);
        diff("kpis", expected.kpis, kpis, expectedName, actualName);
        diff("actions", expected.actions, actions, expectedName, actualName);
    }

    private static <V> void diff(
            String what, Map<String, V> expected, Map<String, V> actual, String expectedName, String actualName) {
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        int shown = 0;
        for (String k : keys) {
            if (!Objects.equals(expected.get(k), actual.get(k)) && shown++ < 8) {
                System.out.println("DIFF " + what + " " + k + "\n   " + expectedName + ": " + expected.get(k) + "\n   "
                        + actualName + ": " + actual.get(k));
            }
        }
    }

    private static long at(JsonNode n, String field) {
        return Instant.parse(n.get(field).asText()).toEpochMilli();
    }

    private static JsonNode json(ConsumerRecord<byte[], byte[]> r) {
        try {
            return JSON.readTree(r.value());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void count(Map<String, Integer> m, String key, int n) {
        if (m.merge(key, n, Integer::sum) == 0) {
            m.remove(key);
        }
    }

    private static JsonNode without(JsonNode n, String... fields) {
        ObjectNode o = n.deepCopy();
        for (String f : fields) {
            o.remove(f);
        }
        return o;
    }

    private static boolean allZero(JsonNode kpi) {
        for (Iterator<Map.Entry<String, JsonNode>> it = kpi.fields(); it.hasNext(); ) {
            JsonNode v = it.next().getValue();
            if (v.isNumber() && v.decimalValue().signum() != 0) {
                return false;
            }
            if (v.isArray() || v.isObject()) {
                return false;
            }
        }
        return true;
    }
}

package dev.revstream.ingest;

import static dev.revstream.ingest.FormatTestSettings.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revstream.model.Ingested;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every vendor format over hostile input: each documented fixture with fields removed, retyped
 * (text for numbers, objects for text, nulls, huge and negative numbers, empty arrays) or
 * duplicated, on its own topic and on an {@code auto} one. Whatever comes in, the parser returns,
 * and everything it yields is exactly one of an event, a dead letter with a code and a message, or a
 * skipped part with a reason: no vendor's record can stop the job.
 */
class VendorFormatsPropertiesTest {
    private static final EventParser PARSER = new EventParser(FormatTestSettings.ingest());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<SourceFormat> VENDORS = List.of(
            SourceFormat.SEGMENT,
            SourceFormat.HUBSPOT,
            SourceFormat.SALESFORCE_CDC,
            SourceFormat.STRIPE,
            SourceFormat.DEBEZIUM);

    @Property(tries = 2000)
    void anyMutationOfAFixtureIsAnEventADeadLetterOrASkip(
            @ForAll("fixtures") String fixture, @ForAll long seed, @ForAll("formats") SourceFormat readAs)
            throws IOException {
        Random random = new Random(seed);
        JsonNode tree = JSON.readTree(FormatTestSettings.fixture(fixture));
        int mutations = 1 + random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            tree = mutate(tree, random);
        }
        List<Ingested> out = new ArrayList<>();
        PARSER.parse(FormatTestSettings.topic(readAs), 0, 0, null, JSON.writeValueAsBytes(tree), NOW, NOW, out::add);
        assertThat(out).isNotEmpty().allSatisfy(VendorFormatsPropertiesTest::exactlyOne);
    }

    @Property(tries = 1000)
    void anyJsonOnAVendorTopicIsAnEventADeadLetterOrASkip(
            @ForAll("json") String value, @ForAll("formats") SourceFormat readAs) {
        List<Ingested> out = new ArrayList<>();
        PARSER.parse(
                FormatTestSettings.topic(readAs),
                0,
                0,
                null,
                value.getBytes(StandardCharsets.UTF_8),
                NOW,
                NOW,
                out::add);
        assertThat(out).isNotEmpty().allSatisfy(VendorFormatsPropertiesTest::exactlyOne);
    }

    static void exactlyOne(Ingested i) {
        int n = (i.event() != null ? 1 : 0) + (i.deadLetter() != null ? 1 : 0) + (i.skipped() != null ? 1 : 0);
        assertThat(n).as(String.valueOf(i)).isEqualTo(1);
        if (i.deadLetter() != null) {
            assertThat(i.deadLetter().errorCode()).isNotNull();
            assertThat(i.deadLetter().message()).isNotBlank();
            assertThat(i.deadLetter().errorCode().name())
                    .as(i.deadLetter().message())
                    .isNotEqualTo("RECORD_FAILED");
        }
        if (i.skipped() != null) {
            assertThat(i.skipped().reason()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> fixtures() {
        List<String> all = new ArrayList<>();
        VENDORS.forEach(f -> all.addAll(VendorFormatsTest.fixtures(f)));
        return Arbitraries.of(all);
    }

    @Provide
    Arbitrary<SourceFormat> formats() {
        List<SourceFormat> all = new ArrayList<>(VENDORS);
        all.add(SourceFormat.AUTO);
        return Arbitraries.of(all);
    }

    @Provide
    Arbitrary<String> json() {
        Arbitrary<String> scalars = Arbitraries.of(
                "null",
                "0",
                "-1",
                "1e400",
                "\"\"",
                "\"x\"",
                "true",
                "[]",
                "{}",
                "1795537801",
                "\"2026-11-01T00:00:00Z\"");
        Arbitrary<String> keys = Arbitraries.of(
                "type",
                "messageId",
                "batch",
                "object",
                "data",
                "ChangeEventHeader",
                "op",
                "after",
                "before",
                "payload",
                "subscriptionType",
                "objectId",
                "eventId",
                "occurredAt",
                "id",
                "created",
                "source",
                "recordIds",
                "entityName",
                "changeType",
                "commitTimestamp",
                "items",
                "timestamp");
        return Arbitraries.recursive(
                () -> scalars,
                inner -> Arbitraries.oneOf(
                        inner.list().ofMaxSize(4).map(l -> "[" + String.join(",", l) + "]"),
                        Arbitraries.maps(keys, inner).ofMaxSize(5).map(m -> {
                            StringBuilder sb = new StringBuilder("{");
                            m.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "")
                                    .append('"')
                                    .append(k)
                                    .append("\":")
                                    .append(v));
                            return sb.append('}').toString();
                        })),
                4);
    }

    /** One change somewhere in the tree: a field removed, retyped or set to null. */
    static JsonNode mutate(JsonNode root, Random random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode target = containers.get(random.nextInt(containers.size()));
        JsonNode replacement = strange(random);
        if (target instanceof ObjectNode o && !o.isEmpty()) {
            List<String> names = new ArrayList<>();
            o.fieldNames().forEachRemaining(names::add);
            String name = names.get(random.nextInt(names.size()));
            if (random.nextInt(3) == 0) {
                o.remove(name);
            } else {
                o.set(name, replacement);
            }
        } else if (target instanceof ArrayNode a) {
            if (!a.isEmpty() && random.nextBoolean()) {
                a.set(random.nextInt(a.size()), replacement);
            } else {
                a.add(replacement);
            }
        }
        return root;
    }

    private static void collect(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
                collect(it.next(), out);
            }
        }
    }

    private static JsonNode strange(Random random) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (random.nextInt(12)) {
            case 0 -> f.nullNode();
            case 1 -> f.textNode("");
            case 2 -> f.textNode("not a number");
            case 3 -> f.numberNode(-1);
            case 4 -> f.numberNode(Long.MAX_VALUE);
            case 5 -> f.numberNode(new java.math.BigDecimal("1e300"));
            case 6 -> f.objectNode();
            case 7 -> f.arrayNode();
            case 8 -> f.booleanNode(true);
            case 9 -> f.textNode("x".repeat(300));
            case 10 -> f.numberNode(1.5);
            default -> f.textNode("2026-13-45");
        };
    }
}

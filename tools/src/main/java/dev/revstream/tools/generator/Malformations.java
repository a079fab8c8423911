package dev.revstream.tools.generator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** The ways real producers break records, applied to a copy of a valid one. */
final class Malformations {
    private Malformations() {}

    static byte[] corrupt(ObjectNode valid, Random r) {
        ObjectNode n = valid.deepCopy();
        String text = n.toString();
        return switch (r.nextInt(9)) {
            case 0 -> text.substring(0, text.length() / 2).getBytes(StandardCharsets.UTF_8); // cut off
            case 1 -> {
                n.remove("eventId");
                yield bytes(n);
            }
            case 2 -> {
                n.put("occurredAt", "last tuesday");
                yield bytes(n);
            }
            case 3 -> {
                n.put("type", "Unknown Activity");
                yield bytes(n);
            }
            case 4 -> {
                n.put("amount", -100);
                n.put("type", n.has("dealId") ? "UPDATED" : "SPEND");
                yield bytes(n);
            }
            case 5 -> {
                n.put("amount", 10);
                n.put("currency", "XYZ");
                n.put("type", n.has("dealId") ? "UPDATED" : "SPEND");
                yield bytes(n);
            }
            case 6 -> {
                byte[] b = text.getBytes(StandardCharsets.UTF_8);
                b[b.length / 2] = (byte) 0xFF; // not UTF-8
                yield b;
            }
            case 7 -> ("{\"eventId\":\"x\"," + text.substring(1)).getBytes(StandardCharsets.UTF_8); // eventId twice
            default -> ("[" + text + "]").getBytes(StandardCharsets.UTF_8);
        };
    }

    private static byte[] bytes(ObjectNode n) {
        return n.toString().getBytes(StandardCharsets.UTF_8);
    }
}

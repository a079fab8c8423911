package dev.revstream.router;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revstream.config.RevstreamConfig.Channel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/** What a channel receives for an alert, and which alerts a channel receives. */
final class Webhooks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SEVERITIES = List.of("info", "warning", "critical");

    private Webhooks() {}

    /** The channel's routing rules: type, lowest severity, segment and owner (an empty list allows all). */
    static boolean routes(Channel c, JsonNode alert) {
        if (!c.types().isEmpty() && !c.types().contains(alert.path("type").asText())) {
            return false;
        }
        int severity = SEVERITIES.indexOf(alert.path("severity").asText().toLowerCase(Locale.ROOT));
        if (severity < SEVERITIES.indexOf(c.minSeverity())) {
            return false;
        }
        if (!c.segments().isEmpty()
                && !c.segments().contains(alert.path("segment").asText())) {
            return false;
        }
        return c.owners().isEmpty() || c.owners().contains(alert.path("ownerId").asText());
    }

    /** Text without control characters (line breaks, escapes): for headers and log lines. */
    static String printable(String s) {
        return s.replaceAll("\\p{Cntrl}", "?");
    }

    /**
     * Text as Slack shows it literally: {@code &}, {@code <} and {@code >} escaped (so that no
     * {@code <!channel>}, mention or link can be injected through an id or a reason), no control characters.
     */
    static String slack(String s) {
        return printable(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** A field of the alert as Slack text. */
    private static String slack(JsonNode alert, String field) {
        return slack(alert.path(field).asText());
    }

    /** A record that takes back an alert delivered before. */
    static boolean isWithdrawal(JsonNode alert) {
        return "WITHDRAWN".equals(alert.path("status").asText());
    }

    /** The idempotency key of a delivery: the alert's id, or for its withdrawal {@code <alertId>/withdrawn}. */
    static String deliveryKey(JsonNode alert) {
        String id = alert.path("alertId").asText();
        return isWithdrawal(alert) ? id + "/withdrawn" : id;
    }

    /**
     * The request body: Slack's incoming-webhook message, or the alert as it is in a generic envelope.
     * A withdrawal says so first and why, and names the alert it follows up ({@code followUpTo}).
     */
    static byte[] body(Channel c, JsonNode alert) {
        String id = deliveryKey(alert);
        ObjectNode o = JSON.createObjectNode();
        if ("slack".equals(c.format()) && isWithdrawal(alert)) {
            // every text from the alert is escaped: ids and reasons carry what sources wrote
            String who =
                    slack(alert, "accountId") + (alert.hasNonNull("dealId") ? " · deal " + slack(alert, "dealId") : "");
            String text = "Withdrawn: " + slack(alert, "type") + " " + who + " (alert "
                    + slack(alert, "alertId") + ") no longer holds: "
                    + slack(alert.path("withdrawnBecause").asText("a late event changed the history")) + ".";
            o.put("text", text);
            ArrayNode blocks = o.putArray("blocks");
            blocks.addObject()
                    .put("type", "section")
                    .putObject("text")
                    .put("type", "mrkdwn")
                    .put("text", "~" + slack(alert, "reason") + "~\n" + text);
            o.put("followUpTo", alert.path("alertId").asText());
        } else if ("slack".equals(c.format())) {
            String severity = slack(alert.path("severity").asText().toUpperCase(Locale.ROOT));
            String who =
                    slack(alert, "accountId") + (alert.hasNonNull("dealId") ? " · deal " + slack(alert, "dealId") : "");
            o.put("text", "[" + severity + "] " + slack(alert, "type") + " " + who + ": " + slack(alert, "reason"));
            ArrayNode blocks = o.putArray("blocks");
            ObjectNode section = blocks.addObject().put("type", "section");
            section.putObject("text")
                    .put("type", "mrkdwn")
                    .put(
                            "text",
                            "*" + severity + "* · " + slack(alert, "type") + " · " + who + "\n"
                                    + slack(alert, "reason"));
            ObjectNode context = blocks.addObject().put("type", "context");
            context.putArray("elements")
                    .addObject()
                    .put("type", "mrkdwn")
                    .put(
                            "text",
                            "owner " + slack(alert.path("ownerId").asText("unknown")) + " · triggered "
                                    + slack(alert, "triggeredAt") + " · alert " + slack(id));
        } else {
            o.put("channel", c.name());
            o.set("alert", alert);
            if (isWithdrawal(alert)) {
                o.put("followUpTo", alert.path("alertId").asText());
            }
        }
        o.put("idempotencyKey", id);
        return o.toString().getBytes(StandardCharsets.UTF_8);
    }
}

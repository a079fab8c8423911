package dev.revstream.wallboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the wallboard shows, kept in memory: the latest KPI windows of every series (window size,
 * dimension, value), the latest learned forecasts of every series, the recent alerts and journey
 * changes, and how many alerts stand by severity (all of them, not only those kept). Built from the
 * topics at start-up (the KPI and forecast topics are compacted: reading them from the start is the
 * current picture) and kept up to date as records arrive. Bounded: {@value #WINDOWS} windows and
 * {@value #FORECASTS} forecasts per series, {@value #ALERTS} alerts, {@value #CHANGES} journey changes;
 * the totals keep one severity per alert id.
 */
final class Picture {
    static final int WINDOWS = 30;
    static final int ALERTS = 100;
    static final int CHANGES = 50;
    static final int FORECASTS = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, NavigableMap<Long, JsonNode>> series = new TreeMap<>();
    private final Deque<JsonNode> alerts = new ArrayDeque<>();
    private final Set<String> alertIds = new HashSet<>();
    private final Deque<JsonNode> changes = new ArrayDeque<>();
    private final Map<String, NavigableMap<Long, JsonNode>> forecasts = new TreeMap<>();
    /** Every alert standing (not withdrawn), by id: its severity, for the totals. */
    private final Map<String, String> standing = new java.util.HashMap<>();

    private final String currency;
    private final String zone;
    private long lastRecordAt;
    private long dataTime;

    /** @param currency the reporting currency amounts are in; @param zone where people read the times */
    Picture(String currency, String zone) {
        this.currency = currency;
        this.zone = zone;
    }

    /** The series a snapshot belongs to: {@code 1d|segment|smb}. */
    static String seriesKey(JsonNode kpi) {
        return kpi.path("windowSize").asText() + "|" + kpi.path("dimension").asText() + "|"
                + kpi.path("dimensionValue").asText();
    }

    synchronized void kpi(JsonNode k, long now) {
        lastRecordAt = now;
        long end = time(k, "windowEnd");
        if (end <= now) {
            seen(end); // a window fires once event time passes its end (a current window's end lies ahead)
        }
        NavigableMap<Long, JsonNode> windows = series.computeIfAbsent(seriesKey(k), s -> new TreeMap<>());
        long start = Instant.parse(k.path("windowStart").asText()).toEpochMilli();
        if (k.path("withdrawn").asBoolean(false)) {
            windows.remove(start); // a late event left the window without figures for this value
            return;
        }
        windows.put(start, k);
        while (windows.size() > WINDOWS) {
            windows.pollFirstEntry();
        }
    }

    /**
     * A withdrawal (a late event showed the alert no longer holds) takes the alert off; a record of an
     * alert shown already replaces it (a late event changed its details).
     *
     * @return false for nothing to tell the browsers (a repeat of what is shown, or of an alert not shown)
     */
    synchronized boolean alert(JsonNode a, long now) {
        lastRecordAt = now;
        seen(time(a, "triggeredAt"));
        String id = a.path("alertId").asText();
        if ("WITHDRAWN".equals(a.path("status").asText())) {
            standing.remove(id);
            boolean shown = alertIds.remove(id);
            alerts.removeIf(x -> x.path("alertId").asText().equals(id));
            return shown;
        }
        standing.put(id, a.path("severity").asText());
        if (!alertIds.add(id)) {
            if (alerts.stream().anyMatch(x -> x.equals(a))) {
                return false;
            }
            alerts.removeIf(x -> x.path("alertId").asText().equals(id));
        }
        alerts.addFirst(a);
        while (alerts.size() > ALERTS) {
            alertIds.remove(alerts.removeLast().path("alertId").asText());
        }
        return true;
    }

    /** A window's learned forecast, made as it began: the latest per window of its series. */
    synchronized void forecast(JsonNode f, long now) {
        lastRecordAt = now;
        NavigableMap<Long, JsonNode> windows = forecasts.computeIfAbsent(seriesKey(f), s -> new TreeMap<>());
        windows.put(Instant.parse(f.path("windowStart").asText()).toEpochMilli(), f);
        while (windows.size() > FORECASTS) {
            windows.pollFirstEntry();
        }
    }

    /** How many alerts stand, by severity: {"critical":n,"warning":n,"info":n}. */
    synchronized String alertTotals() {
        return alertTotalsNode().toString();
    }

    private ObjectNode alertTotalsNode() {
        long critical = 0;
        long warning = 0;
        long info = 0;
        for (String s : standing.values()) {
            switch (s) {
                case "critical" -> critical++;
                case "warning" -> warning++;
                default -> info++;
            }
        }
        ObjectNode n = JSON.createObjectNode();
        n.put("critical", critical);
        n.put("warning", warning);
        n.put("info", info);
        return n;
    }

    synchronized void change(JsonNode u, long now) {
        lastRecordAt = now;
        seen(time(u, "at"));
        changes.addFirst(u);
        while (changes.size() > CHANGES) {
            changes.removeLast();
        }
    }

    synchronized long lastRecordAt() {
        return lastRecordAt;
    }

    /** The newest event time among the records shown (0: none): how current the data is, not the stream. */
    synchronized long dataTime() {
        return dataTime;
    }

    private void seen(long t) {
        dataTime = Math.max(dataTime, t);
    }

    /** An instant field in epoch millis, or 0 when absent or unreadable (the record is still shown). */
    private static long time(JsonNode n, String field) {
        try {
            return Instant.parse(n.path(field).asText()).toEpochMilli();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** The whole picture, for a browser that has just connected. */
    synchronized String toJson() {
        ObjectNode o = JSON.createObjectNode();
        ObjectNode s = o.putObject("series");
        series.forEach((key, windows) -> {
            ArrayNode a = s.putArray(key);
            windows.values().forEach(a::add);
        });
        ArrayNode al = o.putArray("alerts");
        alerts.forEach(al::add);
        ArrayNode ch = o.putArray("changes");
        changes.forEach(ch::add);
        ObjectNode fc = o.putObject("forecasts");
        forecasts.forEach((key, windows) -> {
            ArrayNode a = fc.putArray(key);
            windows.values().forEach(a::add);
        });
        o.set("alertTotals", alertTotalsNode());
        o.put("currency", currency);
        o.put("zone", zone);
        o.put("lastRecordAt", lastRecordAt);
        o.put("dataTime", dataTime);
        return o.toString();
    }
}

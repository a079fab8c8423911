package dev.revstream.tools.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.job.RunSummary;
import dev.revstream.kafka.KafkaTopics;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Follows revstream's output topics, read committed, and keeps the running totals the demo and
 * {@code run} print: the records in each output topic, the corrections (retracted, withdrawn and
 * revised records), alerts by type and the alerts not shown yet. What the job itself did with its
 * input (applied, dead-lettered, duplicates, late) comes from its accumulators ({@link RunSummary}),
 * live: the data-quality topic reports it only for closed (hourly) windows.
 */
final class StatusBoard implements AutoCloseable {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS); // numbers as written

    final AtomicLong eventsOut = new AtomicLong();
    final AtomicLong deadLettersOut = new AtomicLong();
    final AtomicLong lateOut = new AtomicLong();
    final AtomicLong journeyOut = new AtomicLong();
    final AtomicLong kpisOut = new AtomicLong();
    final AtomicLong actionsOut = new AtomicLong();
    /** Records that correct an earlier one: retracted updates, credits and recommendations, withdrawn alerts, KPI revisions. */
    final AtomicLong corrections = new AtomicLong();
    /** KPI snapshots (dimension all) not printed yet. */
    final ConcurrentLinkedQueue<String> newKpis = new ConcurrentLinkedQueue<>();

    final Map<String, AtomicLong> alertsByType = new ConcurrentSkipListMap<>();
    /** Recommendations open now (opened minus closed), by action. */
    final Map<String, AtomicLong> openActions = new ConcurrentSkipListMap<>();
    /** Recommendations opened, not printed yet, oldest first. */
    final ConcurrentLinkedQueue<String> newActions = new ConcurrentLinkedQueue<>();
    /** Alerts not printed yet, oldest first. */
    final ConcurrentLinkedQueue<String> newAlerts = new ConcurrentLinkedQueue<>();

    private final RevstreamConfig cfg;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    StatusBoard(RevstreamConfig cfg) {
        this.cfg = cfg;
        this.thread = new Thread(this::follow, "revstream-status");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void follow() {
        Properties p = KafkaTopics.committedConsumerProperties(cfg);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            KafkaTopics.assignFromBeginning(
                    c,
                    List.of(
                            cfg.topics().events(),
                            cfg.topics().deadletter(),
                            cfg.topics().late(),
                            cfg.topics().alerts(),
                            cfg.topics().journey(),
                            cfg.topics().kpis(),
                            cfg.topics().actions(),
                            cfg.topics().attribution()));
            while (running.get()) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    count(r);
                }
            }
        } catch (RuntimeException e) {
            if (running.get()) {
                System.err.println("status: stopped following the output topics: " + e.getMessage());
            }
        }
    }

    private void count(ConsumerRecord<byte[], byte[]> r) {
        String t = r.topic();
        if (t.equals(cfg.topics().events())) {
            eventsOut.incrementAndGet();
        } else if (t.equals(cfg.topics().deadletter())) {
            deadLettersOut.incrementAndGet();
        } else if (t.equals(cfg.topics().late())) {
            lateOut.incrementAndGet();
        } else if (t.equals(cfg.topics().journey()) || t.equals(cfg.topics().attribution())) {
            if (t.equals(cfg.topics().journey())) {
                journeyOut.incrementAndGet();
            }
            try {
                if (JSON.readTree(r.value()).path("retracted").asBoolean()) {
                    corrections.incrementAndGet();
                }
            } catch (IOException e) {
                System.err.println("status: unreadable record of " + t + " at offset " + r.offset());
            }
        } else if (t.equals(cfg.topics().kpis())) {
            kpisOut.incrementAndGet();
            try {
                JsonNode n = JSON.readTree(r.value());
                if (n.path("revision").asLong() > 0) {
                    corrections.incrementAndGet();
                }
                if ("all".equals(n.path("dimension").asText())) {
                    newKpis.add(String.format(
                            Locale.ROOT,
                            "  KPI %s %s: open pipeline %s (%d deals), created %d, won %d (%s), win rate %s, cycle %s d, ARR %s,"
                                    + " customers %d, net new ARR %s, NRR %s",
                            n.path("windowSize").asText(),
                            n.path("windowStart").asText().substring(0, 10),
                            plain(n, "openPipelineAmount"),
                            n.path("openDeals").asLong(),
                            n.path("dealsCreated").asLong(),
                            n.path("dealsWon").asLong(),
                            plain(n, "wonAmount"),
                            plain(n, "winRate"),
                            plain(n, "avgSalesCycleDays"),
                            plain(n, "arr"),
                            n.path("customers").asLong(),
                            plain(n, "netNewArr"),
                            plain(n, "netRevenueRetention")));
                }
            } catch (IOException e) {
                System.err.println("status: unreadable KPI snapshot at offset " + r.offset());
            }
        } else if (t.equals(cfg.topics().actions())) {
            try {
                JsonNode n = JSON.readTree(r.value());
                boolean open = "OPEN".equals(n.path("status").asText());
                actionsOut.incrementAndGet();
                boolean retracted = n.path("retracted").asBoolean(); // a late event took it back
                if (retracted) {
                    corrections.incrementAndGet();
                }
                openActions
                        .computeIfAbsent(n.path("action").asText(), k -> new AtomicLong())
                        .addAndGet(open != retracted ? 1 : -1);
                if (open && !retracted) {
                    newActions.add(String.format(
                            "  P%d %-18s -> %-16s %s",
                            n.path("priority").asInt(),
                            n.path("action").asText(),
                            n.path("team").asText(),
                            n.path("message").asText()));
                }
            } catch (IOException e) {
                System.err.println("status: unreadable recommendation at offset " + r.offset());
            }
        } else if (t.equals(cfg.topics().alerts())) {
            try {
                JsonNode n = JSON.readTree(r.value());
                boolean withdrawn = "WITHDRAWN".equals(n.path("status").asText());
                if (withdrawn) {
                    corrections.incrementAndGet();
                }
                alertsByType
                        .computeIfAbsent(n.path("type").asText(), k -> new AtomicLong())
                        .addAndGet(withdrawn ? -1 : 1);
                newAlerts.add(String.format(
                        "  %-8s %-15s %s%s",
                        n.path("severity").asText().toUpperCase(Locale.ROOT),
                        n.path("type").asText(),
                        withdrawn ? "withdrawn: " : "",
                        withdrawn
                                ? n.path("withdrawnBecause").asText()
                                : n.path("reason").asText()));
            } catch (IOException e) {
                System.err.println("status: unreadable alert at offset " + r.offset());
            }
        }
    }

    /**
     * The counts of the status line: what the job did with its input since it started, and what the
     * output topics hold (read committed).
     *
     * @param job the job's accumulators ({@code LocalFlink.accumulators})
     */
    String counts(Map<String, Object> job) {
        StringBuilder alerts = new StringBuilder();
        alertsByType.forEach((type, n) -> alerts.append(alerts.length() == 0 ? "" : ", ")
                .append(type)
                .append(' ')
                .append(n.get()));
        return String.format(
                Locale.ROOT,
                "applied %d (%d as corrections)  dead-lettered %d  duplicates %d  late %d | out: events %d,"
                        + " dead letters %d, journey %d, KPI snapshots %d, recommendations %d, corrections %d | alerts: %s",
                RunSummary.count(job, RunSummary.APPLIED),
                RunSummary.count(job, RunSummary.CORRECTED),
                RunSummary.count(job, RunSummary.DEAD_LETTERED),
                RunSummary.count(job, RunSummary.DUPLICATES),
                RunSummary.count(job, RunSummary.LATE),
                eventsOut.get(),
                deadLettersOut.get(),
                journeyOut.get(),
                kpisOut.get(),
                actionsOut.get(),
                corrections.get(),
                alerts.length() == 0 ? "none yet" : alerts);
    }

    /** Prints the alerts, recommendations and daily KPIs that came since the last call (three of each at most). */
    void printNews(java.io.PrintStream out) {
        int shown = 0;
        for (String line = newAlerts.poll(); line != null; line = newAlerts.poll()) {
            if (shown++ < 3) {
                out.println(line);
            }
        }
        if (shown > 3) {
            out.printf("  ... and %d more alerts%n", shown - 3);
        }
        StringBuilder open = new StringBuilder();
        openActions.forEach((action, n) -> open.append(open.length() == 0 ? "" : ", ")
                .append(action)
                .append(' ')
                .append(n.get()));
        int opened = 0;
        for (String line = newActions.poll(); line != null; line = newActions.poll()) {
            if (opened++ < 3) {
                out.println(line);
            }
        }
        if (opened > 0) {
            out.printf("  recommendations open now: %s (%d new)%n", open, opened);
        }
        String latest = null;
        int closed = 0;
        for (String line = newKpis.poll(); line != null; line = newKpis.poll()) {
            latest = line;
            closed++;
        }
        if (latest != null) {
            out.println(latest + (closed > 1 ? "  (latest of " + closed + " windows closed)" : ""));
        }
    }

    /** A number as written (no exponent), or null. */
    private static String plain(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isNumber() ? v.decimalValue().toPlainString() : "null";
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5_000);
    }
}

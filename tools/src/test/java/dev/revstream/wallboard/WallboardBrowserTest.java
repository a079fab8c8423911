package dev.revstream.wallboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.testing.Infra;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

/**
 * The wallboard in a real browser (Debian's headless Chromium driven by Selenium through
 * /usr/bin/chromedriver) against a real broker, with records written by a transactional
 * producer as the job writes them: the tiles show the latest window and its change, a new alert
 * shows within 2 s of its commit, a page opened afterwards shows the picture at once, the segment
 * filter changes the tiles and the region filter says revenue is n/a. Saves a screenshot.
 */
class WallboardBrowserTest {
    private static final Instant DAY0 = Instant.parse("2026-11-16T00:00:00Z");

    private static String metrics(double open, double won, double arr, double winRate, int leads) {
        return String.format(
                Locale.ROOT,
                "{\"openPipelineAmount\":%.2f,\"openDeals\":%d,\"pipelineVelocityPerDay\":%.2f,"
                        + "\"winRate\":%.6f,\"avgSalesCycleDays\":%.6f,\"wonAmount\":%.2f,\"arr\":%.2f,\"netNewArr\":%.2f,"
                        + "\"netRevenueRetention\":%.6f,\"newLeads\":%d,\"newMqls\":%d,\"newSqls\":%d,\"newOpportunities\":%d,\"newCustomers\":%d,"
                        + "\"stageConversion.PROPOSAL\":0.600000,\"stageConversion.NEGOTIATION\":0.750000,"
                        // the pipeline by stage and the window's movement: 100K in at the start, +60K created,
                        // +20K pulled in, -30K pushed out, -40K won, -10K lost: 100K at the end
                        + "\"pipelineByStage.PROPOSAL.deals\":3,\"pipelineByStage.PROPOSAL.amount\":250000.00,"
                        + "\"pipelineByStage.NEGOTIATION.deals\":1,\"pipelineByStage.NEGOTIATION.amount\":90000.00,"
                        + "\"pipelineMovement.openAtStart.amount\":100000.00,\"pipelineMovement.created.amount\":60000.00,"
                        + "\"pipelineMovement.pulledIn.amount\":20000.00,\"pipelineMovement.movedIn.amount\":0.00,"
                        + "\"pipelineMovement.increased.amount\":0.00,\"pipelineMovement.pushedOut.amount\":30000.00,"
                        + "\"pipelineMovement.decreased.amount\":0.00,\"pipelineMovement.won.amount\":40000.00,"
                        + "\"pipelineMovement.lost.amount\":10000.00,\"pipelineMovement.movedOut.amount\":0.00,"
                        + "\"pipelineMovement.openAtEnd.amount\":100000.00}",
                open,
                (int) (open / 20_000),
                open / 31,
                winRate,
                24 + open / 200_000, // a longer cycle as the pipeline grows: bad news, however it rises
                won,
                arr,
                won * 0.8,
                1.04,
                leads,
                leads / 2,
                leads / 4,
                leads / 6,
                leads / 12);
    }

    /** A snapshot as the job writes it to revops.kpis: the window and dimension value, then the metrics' fields. */
    private static ProducerRecord<byte[], byte[]> kpi(
            RevstreamConfig cfg, int day, String dimension, String value, String metrics) {
        Instant start = DAY0.plus(Duration.ofDays(day));
        String key = "1d|" + start.toEpochMilli() + "|" + dimension + "|" + value;
        String json = "{\"windowSize\":\"1d\",\"windowStart\":\"" + start + "\",\"windowEnd\":\""
                + start.plus(Duration.ofDays(1)) + "\",\"dimension\":\"" + dimension + "\",\"dimensionValue\":\""
                + value + "\"," + metrics.substring(1);
        return new ProducerRecord<>(
                cfg.topics().kpis(), key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    private static ProducerRecord<byte[], byte[]> alert(
            RevstreamConfig cfg, String id, String type, String severity, String at) {
        return alert(cfg, id, type, severity, at, null);
    }

    private static ProducerRecord<byte[], byte[]> alert(
            RevstreamConfig cfg, String id, String type, String severity, String at, String segment) {
        String json = "{\"alertId\":\"" + id + "\",\"type\":\"" + type + "\",\"severity\":\"" + severity
                + (segment == null ? "" : "\",\"segment\":\"" + segment)
                + "\",\"accountId\":\"acct-" + id
                + "\",\"dealId\":\"deal-" + id + "\",\"ownerId\":\"rep-7\",\"triggeredAt\":\"" + at
                + "\",\"reason\":\"Deal deal-" + id
                + " has had no activity for 7.0 days.\"}";
        return new ProducerRecord<>(cfg.topics().alerts(), null, json.getBytes(StandardCharsets.UTF_8));
    }

    private static KafkaProducer<byte[], byte[]> transactional(RevstreamConfig cfg) {
        Properties p = KafkaTopics.producerProperties(cfg);
        p.put("enable.idempotence", "true");
        p.put("max.in.flight.requests.per.connection", "5");
        p.put("transactional.id", "wallboard-test-" + cfg.kafka().groupId());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        producer.initTransactions();
        return producer;
    }

    private static void commit(KafkaProducer<byte[], byte[]> producer, List<ProducerRecord<byte[], byte[]>> records)
            throws Exception {
        producer.beginTransaction();
        for (ProducerRecord<byte[], byte[]> r : records) {
            producer.send(r).get();
        }
        producer.commitTransaction();
    }

    private static WebDriver browser() {
        ChromeOptions o = new ChromeOptions();
        o.setBinary("/usr/bin/chromium");
        o.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1000");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, o);
    }

    private static <T> T await(String what, Duration timeout, Supplier<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T v;
            try {
                v = probe.get();
            } catch (RuntimeException e) {
                v = null; // the element is not there yet
            }
            if (v != null && !Boolean.FALSE.equals(v)) {
                return v;
            }
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(25_000_000L); // polling the page, bounded above
        }
    }

    private static String tile(WebDriver d, String metric) {
        return d.findElement(By.cssSelector(".tile[data-metric='" + metric + "'] .value"))
                .getText();
    }

    /** As the board writes an amount in the reporting currency (USD): short from 10,000, so a tile never overflows. */
    private static String money(double v) {
        if (Math.abs(v) >= 1e6) {
            return "$" + shortened(v / 1e6, 100) + "M";
        }
        if (Math.abs(v) >= 1e4) {
            return "$" + shortened(v / 1e3, 10) + "K";
        }
        return "$" + String.format(Locale.US, "%,d", Math.round(v));
    }

    private static String shortened(double v, int scale) {
        return java.math.BigDecimal.valueOf(Math.round(v * scale) / (double) scale)
                .stripTrailingZeros()
                .toPlainString();
    }

    @Test
    void showsTheLatestPictureNewAlertsAtOnceAndFilters() throws Exception {
        RevstreamConfig cfg = Infra.config("wallboard");
        KafkaTopics.ensure(cfg);
        double[] open = {3_950_000, 4_120_500, 4_310_250.4, 4_204_800, 4_683_618.13};
        try (KafkaProducer<byte[], byte[]> producer = transactional(cfg);
                Wallboard board = new Wallboard(cfg, "127.0.0.1", 0)) {
            List<ProducerRecord<byte[], byte[]>> history = new ArrayList<>();
            for (int day = 0; day < open.length; day++) {
                history.add(kpi(
                        cfg,
                        day,
                        "all",
                        "all",
                        metrics(open[day], 40_000 + day * 9_000, 520_000 + day * 3_000, 0.12 + day * 0.01, 60)));
                history.add(kpi(
                        cfg,
                        day,
                        "segment",
                        "enterprise",
                        metrics(1_000_000 + day * 50_000, 20_000, 300_000, 0.2, 10)));
                history.add(kpi(cfg, day, "region", "emea", metrics(900_000 + day * 10_000, 10_000, 0, 0.1, 20)));
                history.add(kpi(
                        cfg,
                        day,
                        "channel",
                        "email",
                        String.format(
                                Locale.ROOT,
                                "{\"attributedRevenue.W_SHAPED\":%.2f,\"attributedRevenue.FIRST_TOUCH\":%.2f,"
                                        + "\"attributedRevenue.LAST_TOUCH\":%.2f,\"spend\":%.2f,\"roi\":%.6f}",
                                12_000.0 + day * 1_000,
                                9_000.0,
                                15_000.0,
                                4_000.0,
                                (12_000.0 + day * 1_000) / 4_000)));
            }
            // three reps with quotas (the leaderboard ranks them by attainment) and a monthly forecast
            double[] attainment = {0.42, 0.91, 0.67};
            for (int rep = 0; rep < attainment.length; rep++) {
                history.add(kpi(
                        cfg,
                        4,
                        "ownerId",
                        "rep-" + (rep + 1),
                        String.format(
                                Locale.ROOT,
                                "{\"wonAmount\":%.2f,\"quota\":100000.00,\"attainment\":%.6f}",
                                attainment[rep] * 100_000,
                                attainment[rep])));
            }
            history.add(new ProducerRecord<>(
                    cfg.topics().forecasts(),
                    "1M|1793491200000|all|all".getBytes(StandardCharsets.UTF_8),
                    ("{\"windowSize\":\"1M\",\"windowStart\":\"2026-11-01T00:00:00Z\",\"windowEnd\":\"2026-12-01T00:00:00Z\","
                                    + "\"dimension\":\"all\",\"dimensionValue\":\"all\",\"expected\":939896.48,\"low\":744599.85,"
                                    + "\"high\":1135193.11,\"fromOpen\":894323.48,\"fromNew\":45573.00,\"fixedWeights\":124684.54,"
                                    + "\"quota\":1200000.00,\"openDeals\":280,\"deals\":[{\"dealId\":\"006230-0\",\"stage\":"
                                    + "\"NEGOTIATION\",\"amount\":22075.90,\"probability\":0.8,\"expected\":17660.72,"
                                    + "\"group\":\"NEGOTIATION\",\"examples\":0}]}")
                            .getBytes(StandardCharsets.UTF_8)));
            for (int i = 0; i < 105; i++) { // more than the board keeps (the last 100): the header counts them all
                history.add(alert(
                        cfg,
                        "i" + i,
                        "DEAL_SLIPPAGE",
                        "info",
                        "2026-11-20T" + (10 + i / 60) + ":" + String.format("%02d", i % 60) + ":00Z"));
            }
            history.add(alert(cfg, "a1", "STALLED_DEAL", "critical", "2026-11-21T10:00:00Z"));
            history.add(alert(cfg, "a2", "LEAD_SLA_BREACH", "warning", "2026-11-21T11:00:00Z"));
            commit(producer, history);

            String url = "http://127.0.0.1:" + board.port() + "/";
            WebDriver d = browser();
            try {
                d.get(url);
                await(
                        "the latest window in the tiles",
                        Duration.ofSeconds(20),
                        () -> tile(d, "openPipelineAmount").equals(money(open[4])));
                assertThat(d.findElement(By.cssSelector(".tile[data-metric='openPipelineAmount'] .delta"))
                                .getText())
                        .isEqualTo("▲ " + money(open[4] - open[3]) + " vs previous window");
                assertThat(tile(d, "winRate")).isEqualTo("16.0 %");
                // a rate's change in percentage points; a change coloured by its meaning: a longer cycle is bad
                WebElement winRate = d.findElement(By.cssSelector(".tile[data-metric='winRate'] .delta"));
                assertThat(winRate.getText()).isEqualTo("▲ 1.0 pp vs previous window");
                assertThat(winRate.getAttribute("class")).contains("good");
                assertThat(d.findElement(By.cssSelector(".tile[data-metric='avgSalesCycleDays'] .delta"))
                                .getAttribute("class"))
                        .contains("bad");
                // the lower panels: the pipeline by stage, the waterfall, the forecast, the leaderboard, attribution
                assertThat(d.findElement(By.cssSelector("#stages .bar-row[data-name='PROPOSAL'] .rate"))
                                .getText())
                        .isEqualTo(money(250_000) + " · 3");
                assertThat(d.findElement(By.cssSelector("#movement .bar-row[data-name='Won'] .rate"))
                                .getText())
                        .isEqualTo("−" + money(40_000));
                assertThat(d.findElement(By.cssSelector("#movement .bar-row[data-name='Open at end'] .rate"))
                                .getText())
                        .isEqualTo(money(100_000));
                assertThat(d.findElement(By.cssSelector("#forecast .big")).getText())
                        .isEqualTo(money(939_896.48));
                assertThat(d.findElement(By.id("forecast")).getText())
                        .contains("80 % between " + money(744_599.85) + " and " + money(1_135_193.11))
                        .contains("quota " + money(1_200_000) + " · 78 % of it");
                assertThat(d.findElements(By.cssSelector("#leaders .bar-row")).stream()
                                .map(e -> e.getAttribute("data-name"))
                                .toList())
                        .containsExactly("1. rep-2", "2. rep-3", "3. rep-1");
                assertThat(d.findElement(By.cssSelector("#channels .bar-row[data-name='email'] .rate"))
                                .getText())
                        .isEqualTo(money(16_000));
                // each trend series on its own scale, with axis labels in the currency
                assertThat(d.findElements(By.cssSelector("#trend svg"))).hasSize(2);
                assertThat(d.findElements(By.cssSelector("#trend svg[data-series='wonAmount'] text.axis")).stream()
                                .map(WebElement::getText)
                                .toList())
                        .contains("$0", money(76_000));
                assertThat(tile(d, "arr")).isEqualTo(money(532_000));
                // connected, but the newest data is days old: the badge says so rather than "live"
                await(
                        "behind status",
                        Duration.ofSeconds(10),
                        () -> d.findElement(By.id("status"))
                                .getAttribute("data-state")
                                .equals("behind"));
                assertThat(d.findElement(By.id("status")).getText()).startsWith("behind: newest data ");

                // a new alert, triggered and committed now, shows within 2 s, and the data is live
                commit(
                        producer,
                        List.of(alert(
                                cfg,
                                "a3",
                                "CHURN_RISK",
                                "critical",
                                Instant.now().toString(),
                                "enterprise")));
                long committed = System.nanoTime();
                await(
                        "the new alert",
                        Duration.ofSeconds(5),
                        () -> !d.findElements(By.cssSelector("li[data-alert-id='a3']"))
                                .isEmpty());
                long shownMillis = (System.nanoTime() - committed) / 1_000_000;
                assertThat(shownMillis).as("alert shown after commit (ms)").isLessThan(2_000);
                assertThat(d.findElements(By.cssSelector("#alerts li")).get(0).getAttribute("data-alert-id"))
                        .isEqualTo("a3");
                await(
                        "the alert totals",
                        Duration.ofSeconds(5),
                        () -> d.findElement(By.id("alert-counts"))
                                .getText()
                                .equals("2 critical · 1 warning · 105 info"));
                await(
                        "live status",
                        Duration.ofSeconds(10),
                        () -> d.findElement(By.id("status"))
                                .getAttribute("data-state")
                                .equals("live"));

                // the segment filter changes the tiles; by region revenue is n/a
                new Select(d.findElement(By.id("dimension"))).selectByValue("segment|enterprise");
                assertThat(tile(d, "openPipelineAmount")).isEqualTo(money(1_200_000));
                // the alerts follow Show
                assertThat(d.findElements(By.cssSelector("#alerts li")).stream()
                                .map(e -> e.getAttribute("data-alert-id"))
                                .toList())
                        .containsExactly("a3");
                // a channel shows its attribution, not blank deal tiles, and no funnel of zeros
                new Select(d.findElement(By.id("dimension"))).selectByValue("channel|email");
                assertThat(tile(d, "attributedRevenue.W_SHAPED")).isEqualTo(money(16_000));
                assertThat(tile(d, "roi")).isEqualTo("4.00×");
                assertThat(d.findElement(By.cssSelector("#funnel [data-reason='company-wide']"))
                                .getText())
                        .contains("whole company");
                new Select(d.findElement(By.id("dimension"))).selectByValue("region|emea");
                assertThat(tile(d, "openPipelineAmount")).isEqualTo(money(940_000));
                assertThat(tile(d, "arr")).isEqualTo("n/a by region");
                new Select(d.findElement(By.id("dimension"))).selectByValue("all|all");

                Path shot =
                        ((TakesScreenshot) d).getScreenshotAs(OutputType.FILE).toPath();
                Files.copy(shot, Path.of("target", "wallboard.png"), StandardCopyOption.REPLACE_EXISTING);
                System.out.printf("wallboard test: new alert shown %d ms after its commit%n", shownMillis);
            } finally {
                d.quit();
            }

            // a page opened after the fact has the current picture at once, without new data
            WebDriver late = browser();
            try {
                long opened = System.nanoTime();
                late.get(url);
                await(
                        "the picture on a new page",
                        Duration.ofSeconds(3),
                        () -> tile(late, "openPipelineAmount").equals(money(open[4])));
                assertThat((System.nanoTime() - opened) / 1_000_000)
                        .as("ms to the full picture")
                        .isLessThan(3_000);
                assertThat(late.findElements(By.cssSelector("#alerts li")).stream()
                                .map(e -> e.getAttribute("data-alert-id"))
                                .toList())
                        .as("critical alerts pinned first, then the newest")
                        .startsWith("a3", "a1", "a2");
            } finally {
                late.quit();
            }

            // read-only
            HttpResponse<String> post = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url + "api/state"))
                                    .POST(HttpRequest.BodyPublishers.ofString("{}"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isIn(404, 405);

            // the server goes away: the page says so; it comes back on the same port: the page reconnects by itself
            WebDriver watcher = browser();
            int port = board.port();
            try {
                watcher.get(url);
                await(
                        "live",
                        Duration.ofSeconds(10),
                        () -> watcher.findElement(By.id("status"))
                                .getAttribute("data-state")
                                .equals("live"));
                board.close();
                await(
                        "disconnected",
                        Duration.ofSeconds(10),
                        () -> watcher.findElement(By.id("status"))
                                .getAttribute("data-state")
                                .equals("disconnected"));
                try (Wallboard again = new Wallboard(cfg, "127.0.0.1", port)) {
                    await(
                            "live again",
                            Duration.ofSeconds(20),
                            () -> watcher.findElement(By.id("status"))
                                    .getAttribute("data-state")
                                    .equals("live"));
                    assertThat(tile(watcher, "openPipelineAmount")).isEqualTo(money(open[4]));
                }
            } finally {
                watcher.quit();
            }
        }
    }
}

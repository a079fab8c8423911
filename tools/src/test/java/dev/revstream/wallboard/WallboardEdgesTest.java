package dev.revstream.wallboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaTopics;
import dev.revstream.tools.testing.Infra;
import dev.revstream.tools.testing.TopicIo;
import dev.revstream.tools.testing.TopicIo.Out;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The wallboard's edges over plain HTTP against a real broker: a record on its topics that is JSON but
 * not what it expects is skipped and counted, and the board goes on with the next; a request naming a
 * foreign host (a page elsewhere reaching the board through a name that resolves to this machine) is
 * refused; a browser that stops reading stalls no other; with an access token, nothing is served without it.
 */
class WallboardEdgesTest {
    private static String kpi(String windowStart, String open) {
        return "{\"windowSize\":\"1d\",\"windowStart\":\"" + windowStart
                + "\",\"windowEnd\":\"2026-11-17T00:00:00Z\",\"dimension\":\"all\",\"dimensionValue\":\"all\","
                + "\"openPipelineAmount\":" + open + "}";
    }

    /** The status line and body of one request with the given Host header, over a socket (clients fix Host). */
    private static String get(int port, String host) throws Exception {
        return request(port, "/api/state", "Host: " + host);
    }

    /** The whole response to a GET of the path with the given header lines. */
    private static String request(int port, String path, String... headers) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            String head = String.join("\r\n", headers);
            if (!head.contains("Host:")) {
                head = "Host: 127.0.0.1:" + port + (head.isEmpty() ? "" : "\r\n" + head);
            }
            out.write(("GET " + path + " HTTP/1.1\r\n" + head + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void await(String what, BooleanSupplier done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            LockSupport.parkNanos(20_000_000L); // polling a condition, bounded above
        }
    }

    @Test
    void skipsARecordItCannotShowAndRefusesAForeignHost() throws Exception {
        RevstreamConfig cfg = Infra.config("wallboard-edges");
        KafkaTopics.ensure(cfg);
        String bootstrap = cfg.kafka().bootstrapServers();
        try (Wallboard board = new Wallboard(cfg, "127.0.0.1", 0)) {
            int port = board.port();
            TopicIo.produce(
                    bootstrap,
                    List.of(
                            // one key, one partition: the good record comes after the bad ones
                            Out.json(cfg.topics().kpis(), "k", "{\"windowSize\":\"1d\",\"dimension\":\"all\"}"),
                            Out.json(cfg.topics().kpis(), "k", "[1,2]"),
                            Out.json(cfg.topics().kpis(), "k", kpi("2026-11-16T00:00:00Z", "4242.00"))));
            await("the good snapshot after the bad ones", () -> {
                try {
                    return get(port, "127.0.0.1:" + port).contains("4242");
                } catch (Exception e) {
                    return false;
                }
            });
            assertThat(board.skippedRecords()).isEqualTo(2);

            assertThat(get(port, "localhost:" + port)).startsWith("HTTP/1.1 200");
            assertThat(get(port, "evil.example")).startsWith("HTTP/1.1 421").doesNotContain("4242");
            assertThat(get(port, "127.0.0.1.evil.example:" + port)).startsWith("HTTP/1.1 421");
            assertThat(board.refusedHosts()).isEqualTo(2);
        }
        try (Wallboard board = new Wallboard(
                cfg, "127.0.0.1", 0, new Wallboard.Access(List.of("board.example.com"), null, Duration.ofMinutes(5)))) {
            assertThat(get(board.port(), "board.example.com")).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aBrowserThatStopsReadingStallsNoOther() throws Exception {
        RevstreamConfig cfg = Infra.config("wallboard-slow");
        KafkaTopics.ensure(cfg);
        String pad = "x".repeat(4_000);
        List<Out> flood = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) { // 12 MB: more than a stalled socket's buffers hold
            flood.add(Out.json(
                    cfg.topics().journey(),
                    "k",
                    "{\"accountId\":\"acct-" + i + "\",\"at\":\"2026-11-20T00:00:00Z\",\"pad\":\"" + pad + "\"}"));
        }
        flood.add(Out.json(
                cfg.topics().journey(), "k", "{\"accountId\":\"the-last-one\",\"at\":\"2026-11-20T00:00:00Z\"}"));
        try (Wallboard board = new Wallboard(cfg, "127.0.0.1", 0);
                Socket stalled = new Socket()) {
            int port = board.port();
            // a browser that asks for the stream, then never reads: a small window, soon full
            stalled.setReceiveBufferSize(4_096);
            stalled.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            stalled.getOutputStream()
                    .write(("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1:" + port
                                    + "\r\nAccept: text/event-stream\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            await("the stalled browser on the stream", () -> board.browsers() == 1);

            HttpClient http =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<java.util.stream.Stream<String>> live = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/stream"))
                            .header("Accept", "text/event-stream")
                            .build(),
                    HttpResponse.BodyHandlers.ofLines());
            AtomicBoolean sawLast = new AtomicBoolean();
            Thread reader = new Thread(() -> live.body().anyMatch(l -> {
                if (l.contains("the-last-one")) {
                    sawLast.set(true);
                    return true;
                }
                return false;
            }));
            reader.setDaemon(true);
            reader.start();
            await("the reading browser on the stream", () -> board.browsers() == 2);

            TopicIo.produce(cfg.kafka().bootstrapServers(), flood);
            await("the last record at the reading browser", sawLast::get);
            assertThat(board.droppedEvents())
                    .as("events dropped for the browser that does not read")
                    .isPositive();
            live.body().close();
        }
    }

    @Test
    void withATokenEveryRequestNeedsIt() throws Exception {
        RevstreamConfig cfg = Infra.config("wallboard-token");
        KafkaTopics.ensure(cfg);
        String token = "t0ken-" + System.nanoTime();
        try (Wallboard board =
                new Wallboard(cfg, "127.0.0.1", 0, new Wallboard.Access(List.of(), token, Duration.ofMinutes(5)))) {
            int port = board.port();
            assertThat(request(port, "/api/state")).startsWith("HTTP/1.1 401").contains("?token=");
            assertThat(request(port, "/")).startsWith("HTTP/1.1 401");
            assertThat(request(port, "/api/state", "Authorization: Bearer wrong"))
                    .startsWith("HTTP/1.1 401");
            assertThat(request(port, "/api/state?token=wrong")).startsWith("HTTP/1.1 401");
            assertThat(request(port, "/api/state", "Authorization: Bearer " + token))
                    .startsWith("HTTP/1.1 200")
                    .contains("\"series\"");
            String opened = request(port, "/?token=" + token);
            assertThat(opened.split("Set-Cookie:", -1)).as("one cookie").hasSize(2);
            assertThat(opened)
                    .startsWith("HTTP/1.1 200")
                    .contains("Set-Cookie: " + Wallboard.TOKEN_COOKIE + "=" + token);
            assertThat(request(port, "/api/state", "Cookie: " + Wallboard.TOKEN_COOKIE + "=" + token))
                    .startsWith("HTTP/1.1 200");
            assertThat(board.refusedTokens()).isEqualTo(4);
        }
    }
}

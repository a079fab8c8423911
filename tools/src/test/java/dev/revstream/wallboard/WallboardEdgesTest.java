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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The wallboard's edges over plain HTTP against a real broker: a record on its topics that is JSON but
 * not what it expects is skipped and counted, and the board goes on with the next; a request naming a
 * foreign host (a page elsewhere reaching the board through a name that resolves to this machine) is
 * refused.
 */
class WallboardEdgesTest {
    private static String kpi(String windowStart, String open) {
        return "{\"windowSize\":\"1d\",\"windowStart\":\"" + windowStart
                + "\",\"windowEnd\":\"2026-11-17T00:00:00Z\",\"dimension\":\"all\",\"dimensionValue\":\"all\","
                + "\"openPipelineAmount\":" + open + "}";
    }

    /** The status line and body of one request with the given Host header, over a socket (clients fix Host). */
    private static String get(int port, String host) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/state HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
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
        try (Wallboard board = new Wallboard(cfg, "127.0.0.1", 0, List.of("board.example.com"))) {
            assertThat(get(board.port(), "board.example.com")).startsWith("HTTP/1.1 200");
        }
    }
}

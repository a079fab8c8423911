package dev.revstream.wallboard;

import dev.revstream.cli.CommandLines;
import dev.revstream.cli.CommonOptions;
import dev.revstream.cli.DurationConverter;
import dev.revstream.config.ConfigException;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Serves the live wallboard until stopped. */
@Command(
        name = "wallboard",
        mixinStandardHelpOptions = true,
        description =
                "Serve the live wallboard (KPI tiles, funnel, trend, alert feed) from the output topics until stopped.")
public class WallboardCommand implements Callable<Integer> {
    /** The deployable's own entry point ({@code java -jar revstream-wallboard.jar [options]}); the CLI runs it as a subcommand. */
    public static void main(String[] args) {
        System.exit(CommandLines.of(new WallboardCommand()).execute(args));
    }

    @Mixin
    CommonOptions common;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "HTTP port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description =
                    "address to bind (default: ${DEFAULT-VALUE}; 0.0.0.0 serves the network: the board is read-only)")
    String host;

    @Option(
            names = "--allowed-host",
            description = "a host name browsers may use for the board besides the loopback ones (repeatable;"
                    + " bound to loopback, requests naming any other host are refused; bound to the network"
                    + " without any given, every name is accepted)")
    List<String> allowedHosts = new ArrayList<>();

    @Option(
            names = "--token-env",
            paramLabel = "NAME",
            description = "an environment variable holding an access token: every request then needs it (open the"
                    + " board once with ?token=<token>; the browser keeps it in a cookie; or send Authorization:"
                    + " Bearer <token>). For a board served beyond this machine")
    String tokenEnv;

    @Option(
            names = "--live-within",
            defaultValue = "5m",
            converter = DurationConverter.class,
            description = "the badge says live while the newest event time shown is at most this old (default:"
                    + " ${DEFAULT-VALUE}); older, it says how old")
    Duration liveWithin;

    @Override
    public Integer call() throws Exception {
        RevstreamConfig cfg = common.loadForKafka();
        KafkaTopics.ensure(cfg);
        CountDownLatch stopped = new CountDownLatch(1);
        String token = null;
        if (tokenEnv != null) {
            token = System.getenv(tokenEnv);
            if (token == null || token.isBlank()) {
                throw new ConfigException("--token-env: the environment variable " + tokenEnv + " is not set");
            }
        }
        Wallboard board = new Wallboard(cfg, host, port, new Wallboard.Access(allowedHosts, token, liveWithin));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            board.close();
            stopped.countDown();
        }));
        System.out.println("wallboard: http://" + host + ":" + board.port() + "/  (Ctrl-C stops it)");
        stopped.await();
        return 0;
    }
}

package dev.revstream.cli;

import dev.revstream.config.ConfigLoader;
import dev.revstream.config.RevstreamConfig;
import dev.revstream.kafka.KafkaReachability;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --config}, {@code --set} and {@code --bootstrap}, on every command. */
public class CommonOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "main configuration file (default: config/revstream.yaml, else the copy in the jar)")
    public Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override one configuration key; repeatable")
    public List<String> sets = new ArrayList<>();

    @Option(
            names = "--bootstrap",
            paramLabel = "HOST:PORT",
            description = "shorthand for --set kafka.bootstrap-servers=HOST:PORT")
    public String bootstrap;

    /** Loads the configuration; {@code defaults} apply before the user's own {@code --set}s. */
    public RevstreamConfig load(String... defaults) {
        return effective(defaults).config();
    }

    /** Loads the configuration, then checks that Kafka answers at its bootstrap address (a clear error within seconds). */
    public RevstreamConfig loadForKafka(String... defaults) {
        RevstreamConfig cfg = load(defaults);
        KafkaReachability.require(cfg);
        return cfg;
    }

    /** The configuration with every key's value and origin; {@code defaults} apply before the user's {@code --set}s. */
    public ConfigLoader.Effective effective(String... defaults) {
        List<String> all = new ArrayList<>(List.of(defaults));
        if (bootstrap != null) {
            all.add("kafka.bootstrap-servers=" + bootstrap);
        }
        all.addAll(sets);
        return ConfigLoader.effective(config, all, System.getenv());
    }
}

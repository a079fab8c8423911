package dev.revstream.ingest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.revstream.model.EventKind;
import java.util.ArrayList;
import java.util.List;

/**
 * What a vendor's record says in revstream's vocabulary: canonical events, each checked by the
 * input contract as if a producer had written it, and the parts that yield nothing with the reason
 * (a tombstone, a vendor event revstream does not measure), counted rather than rejected.
 *
 * @param source the source the record came from, for counts, also when it yields nothing
 * @param skipped why each part that yields nothing does (a batch may skip some calls and not others)
 */
public record Translation(String source, List<Canonical> events, List<String> skipped) {

    /** One canonical event: the fields of the input contract, and whether it is a touchpoint or a deal. */
    public record Canonical(EventKind kind, ObjectNode fields) {}

    public static Translation skip(String source, String why) {
        return new Translation(source, List.of(), List.of(why));
    }

    public static Translation of(String source, Canonical... events) {
        return new Translation(source, List.of(events), List.of());
    }

    /** Collects the parts of a record (a batch's calls, a webhook's events). */
    static final class Builder {
        private final String source;
        private final List<Canonical> events = new ArrayList<>();
        private final List<String> skipped = new ArrayList<>();

        Builder(String source) {
            this.source = source;
        }

        Builder add(Translation part) {
            events.addAll(part.events());
            skipped.addAll(part.skipped());
            return this;
        }

        Builder add(Canonical event) {
            events.add(event);
            return this;
        }

        Builder skip(String why) {
            skipped.add(why);
            return this;
        }

        Translation build() {
            if (events.isEmpty() && skipped.isEmpty()) {
                skipped.add("the record carries no change revstream reads");
            }
            return new Translation(source, List.copyOf(events), List.copyOf(skipped));
        }
    }
}

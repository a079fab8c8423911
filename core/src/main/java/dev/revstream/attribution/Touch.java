package dev.revstream.attribution;

/**
 * An attributable touchpoint as attribution needs it. A Flink POJO kept in journey state.
 *
 * @param channel the normalized channel ({@code other} when the touch had none)
 */
public class Touch {
    public long at;
    public String source;
    public String eventId;
    public String type;
    public String channel;

    public Touch() {}

    public Touch(long at, String source, String eventId, String type, String channel) {
        this.at = at;
        this.source = source;
        this.eventId = eventId;
        this.type = type;
        this.channel = channel;
    }

    /** The order of touches: time, then source, then event id. */
    public static int compare(Touch a, Touch b) {
        int c = Long.compare(a.at, b.at);
        if (c == 0) {
            c = a.source.compareTo(b.source);
        }
        return c != 0 ? c : a.eventId.compareTo(b.eventId);
    }

    boolean same(Touch o) {
        return o != null && at == o.at && source.equals(o.source) && eventId.equals(o.eventId);
    }
}

package dev.revstream.model;

/**
 * An accepted event that was not applied: it arrived further behind event time than the correction
 * horizon reaches (or behind what an account can still rewind to).
 *
 * @param eventTime how far event time had got when it arrived (the watermark)
 * @param horizonMillis the correction horizon it missed
 * @param reason a sentence for a person
 */
public record LateEvent(Event event, long eventTime, long horizonMillis, String reason) {}

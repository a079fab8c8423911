package dev.revstream.forecast;

/** A calendar period that a forecast is for (a month, a quarter): where one starts and ends. */
public interface Period {
    /** The start of the period holding {@code t}. */
    long startOf(long t);

    /** The end of the period starting at {@code start}: the next one's start. */
    long endOf(long start);
}

package dev.revstream.alerts;

import java.util.Locale;

/** How urgent an alert is. */
public enum Severity {
    INFO,
    WARNING,
    CRITICAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}

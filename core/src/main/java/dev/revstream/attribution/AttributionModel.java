package dev.revstream.attribution;

/** The multi-touch attribution models of docs/metrics.md (Attribution). Append only: KPI state counts by ordinal. */
public enum AttributionModel {
    FIRST_TOUCH,
    LAST_TOUCH,
    LINEAR,
    U_SHAPED,
    W_SHAPED,
    FULL_PATH,
    TIME_DECAY
}

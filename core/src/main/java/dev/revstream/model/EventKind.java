package dev.revstream.model;

/** Which half of the input contract an event belongs to; decided by the topic it was read from. */
public enum EventKind {
    TOUCHPOINT,
    DEAL
}

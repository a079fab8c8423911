package dev.revstream.journey;

import java.io.Serializable;

/** One canonical open stage: its stall SLA and its win probability. */
public record StageConfig(String name, long stallSlaMillis, double winProbability) implements Serializable {}

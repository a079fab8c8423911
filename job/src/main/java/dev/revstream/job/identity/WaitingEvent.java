package dev.revstream.job.identity;

import dev.revstream.model.Event;

/** An event waiting for its account, until its deadline in event time. */
public record WaitingEvent(Event event, long deadline) {}

package dev.revstream.identity;

import dev.revstream.model.Event;

/**
 * Where an accepted event finds its account. Rules (docs/sources.md#identity):
 *
 * <ul>
 *   <li>a deal event goes by its deal ({@code source}, {@code dealId}): one that names an account
 *       teaches it, one that does not takes the deal's account from an earlier event;
 *   <li>an {@code IDENTIFY} or a {@code FORGET} goes to the visitor it names, else to the person;
 *   <li>any other event that names its account goes straight to it;
 *   <li>one that names a person ({@code contactId}) goes by the person, else one that names only a
 *       visitor ({@code anonymousId}) by the visitor, whose person or account an {@code IDENTIFY}
 *       told;
 *   <li>the rest (a {@code SPEND} of a channel) has no account.
 * </ul>
 */
public final class Resolution {
    private Resolution() {}

    public enum Route {
        ACCOUNT,
        DEAL,
        VISITOR,
        PERSON,
        NONE
    }

    public static Route of(Event e) {
        if (e.isDeal()) {
            return Route.DEAL;
        }
        if (e.isIdentify() || e.isForget()) {
            return e.anonymousId() != null ? Route.VISITOR : Route.PERSON;
        }
        if (e.accountId() != null) {
            return Route.ACCOUNT;
        }
        if (e.contactId() != null) {
            return Route.PERSON;
        }
        return e.anonymousId() != null ? Route.VISITOR : Route.NONE;
    }

    /** The key of a deal: its id within its source (two CRMs may number deals alike). */
    public static String dealKey(Event e) {
        return e.source() + '\u0000' + e.dealId();
    }
}

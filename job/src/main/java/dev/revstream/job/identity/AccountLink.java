package dev.revstream.job.identity;

/**
 * What one visitor, person or deal is linked to, and how many of its events wait for an account.
 * Each part is replaced by a later link (by event time); an earlier link arriving late does not
 * replace it.
 *
 * @param contactId the person a visitor is (visitors only), or null
 * @param contactAt the event time of the link that named the person
 * @param accountId the account, or null while none is known
 * @param accountAt the event time of the link that named the account
 * @param lastSeen the latest event time of an event of this key (the link is kept retention past it)
 * @param waiting how many events wait in the key's list
 */
public record AccountLink(
        String contactId, long contactAt, String accountId, long accountAt, long lastSeen, int waiting) {
    static final AccountLink NONE = new AccountLink(null, Long.MIN_VALUE, null, Long.MIN_VALUE, Long.MIN_VALUE, 0);

    AccountLink seen(long at) {
        return new AccountLink(contactId, contactAt, accountId, accountAt, Math.max(lastSeen, at), waiting);
    }

    AccountLink waiting(int n) {
        return new AccountLink(contactId, contactAt, accountId, accountAt, lastSeen, n);
    }

    /** Takes each non-null part of a link made at {@code at} that is not older than the one it replaces. */
    AccountLink link(String contact, String account, long at) {
        boolean newContact = contact != null && at >= contactAt;
        boolean newAccount = account != null && at >= accountAt;
        return new AccountLink(
                newContact ? contact : contactId,
                newContact ? at : contactAt,
                newAccount ? account : accountId,
                newAccount ? at : accountAt,
                lastSeen,
                waiting);
    }
}

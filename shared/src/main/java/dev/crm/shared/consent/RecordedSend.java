package dev.crm.shared.consent;

/**
 * What recording a send did.
 *
 * @param send the recorded send: the new one on {@code CREATED}, the stored one on {@code REPLAYED}, else null
 */
public record RecordedSend(Outcome outcome, Send send) {
    public enum Outcome {
        CREATED,
        /** The same send was recorded before under this id. */
        REPLAYED,
        /** Another send (channel or topic) holds the id. */
        ID_CONFLICT,
        /** The contact does not exist or is being erased. */
        CONTACT_MISSING
    }

    public static RecordedSend created(Send send) {
        return new RecordedSend(Outcome.CREATED, send);
    }

    public static RecordedSend replayed(Send stored) {
        return new RecordedSend(Outcome.REPLAYED, stored);
    }

    public static RecordedSend idConflict() {
        return new RecordedSend(Outcome.ID_CONFLICT, null);
    }

    public static RecordedSend contactMissing() {
        return new RecordedSend(Outcome.CONTACT_MISSING, null);
    }
}

package dev.crm.contacts.domain;

/** Kinds of touch point. Purchases feed the purchase summary; complaints count as a risk signal. */
public enum InteractionType {
    PURCHASE, RETURN, CALL, EMAIL, SMS, CHAT, WEB_VISIT, MEETING, LETTER, SOCIAL, COMPLAINT, SUPPORT_TICKET,
    FIELD_SERVICE, OTHER;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

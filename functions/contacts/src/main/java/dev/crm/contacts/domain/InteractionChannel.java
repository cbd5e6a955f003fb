package dev.crm.contacts.domain;

/** Where a touch point happened. */
public enum InteractionChannel {
    EMAIL, PHONE, SMS, CHAT, WEB, STORE, POST, PUSH, IN_APP, SOCIAL, FIELD, OTHER;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

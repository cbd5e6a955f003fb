package dev.crm.shared.contact;

/** Where a contact stands with the company. */
public enum LifecycleStage {
    SUBSCRIBER, LEAD, PROSPECT, OPPORTUNITY, CUSTOMER, CHURNED, OTHER;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

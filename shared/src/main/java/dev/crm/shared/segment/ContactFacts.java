package dev.crm.shared.segment;

import dev.crm.shared.contact.PurchaseSummary;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.Contact;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * Everything a segment rule can look at for one contact: the record, its purchase summary, its churn
 * score (with the run's RFM quintiles) and its latest survey scores (each absent until it exists).
 */
public record ContactFacts(Contact contact, PurchaseSummary purchases, Map<String, Object> churnScore, Integer latestNps) {

    /** The value of a rule field, or null when the contact has none. */
    public Object value(String field) {
        ContactData d = contact.data();
        if (field.startsWith("attributes.")) {
            return d.attributes().get(field.substring("attributes.".length()));
        }
        switch (field) {
            case "firstName": return d.firstName();
            case "lastName": return d.lastName();
            case "email": return d.email() == null ? null : EmailAddress.normalize(d.email());
            case "phone": return d.phone();
            case "company": return d.company();
            case "locale": return d.locale();
            case "timeZone": return d.timeZone();
            case "externalId": return d.externalId();
            case "lifecycleStage": return d.lifecycleStage() == null ? null : d.lifecycleStage().wire();
            case "tags": return d.tags();
            case "createdAt": return contact.createdAt();
            case "updatedAt": return contact.updatedAt();
            default: break;
        }
        if (field.startsWith("purchases.")) {
            if (purchases == null || !purchases.hasPurchases()) {
                return field.equals("purchases.purchases") || field.equals("purchases.repeatPurchaseDays") ? 0L : null;
            }
            switch (field) {
                case "purchases.firstPurchaseDay": return purchases.firstPurchaseDay();
                case "purchases.lastPurchaseDay": return purchases.lastPurchaseDay();
                case "purchases.repeatPurchaseDays": return purchases.repeatPurchaseDays();
                case "purchases.purchases": return purchases.purchases();
                case "purchases.totalSpend": return purchases.totalSpend();
                case "purchases.repeatSpend": return purchases.repeatSpend();
                default: return null;
            }
        }
        if (field.startsWith("rfm.")) {
            // the churn run's RFM quintiles, kept on the contact's churn score (absent before a run gave them)
            return churnScore != null && churnScore.get("rfm") instanceof Map<?, ?> rfm ? rfm.get(field.substring("rfm.".length())) : null;
        }
        if (field.startsWith("churn.")) {
            return churnScore == null ? null : churnScore.get(field.substring("churn.".length()));
        }
        if (field.equals("surveys.latestNps")) {
            return latestNps == null ? null : (long) latestNps;
        }
        return null;
    }

    static int compare(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
        }
        if (a instanceof LocalDate x && b instanceof LocalDate y) {
            return x.compareTo(y);
        }
        if (a instanceof Instant x && b instanceof Instant y) {
            return x.compareTo(y);
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }
}

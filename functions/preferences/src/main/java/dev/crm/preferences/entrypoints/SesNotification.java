package dev.crm.preferences.entrypoints;

import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.json.Json;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of an Amazon SES bounce or complaint notification (as SNS delivers it) that suppression needs.
 * Both SES formats are read: event publishing through a configuration set ({@code eventType}) and identity
 * feedback notifications ({@code notificationType}). The tenant is the {@code tenantId} message tag the
 * product puts on every message it sends, which SES repeats in {@code mail.tags}.
 *
 * @param kind       what to record: {@code bounce} or {@code complaint} (the ledger's source)
 * @param recipients the addresses to suppress, valid addresses only
 * @param tenantId   null when the message carries no (valid) tenant tag
 */
record SesNotification(String kind, List<String> recipients, TenantId tenantId) {

    /**
     * @return the notification when it asks for suppression (a permanent bounce, a complaint that is not a
     *         "not-spam" report); null for anything else (transient bounces, deliveries, opens, or text that
     *         is not an SES notification)
     */
    static SesNotification parse(String message) {
        Object parsed;
        try {
            parsed = Json.parse(message);
        } catch (RuntimeException e) {
            return null;
        }
        if (!(parsed instanceof Map<?, ?> m)) {
            return null;
        }
        Object type = m.containsKey("eventType") ? m.get("eventType") : m.get("notificationType");
        List<String> recipients;
        String kind;
        if ("Bounce".equals(type)) {
            Map<?, ?> bounce = map(m.get("bounce"));
            if (!"Permanent".equals(bounce.get("bounceType"))) {
                return null; // a full mailbox or a greylisting server may accept mail tomorrow
            }
            kind = "bounce";
            recipients = addresses(bounce.get("bouncedRecipients"));
        } else if ("Complaint".equals(type)) {
            Map<?, ?> complaint = map(m.get("complaint"));
            if ("not-spam".equals(complaint.get("complaintFeedbackType"))) {
                return null; // the recipient's provider says the opposite of a complaint
            }
            kind = "complaint";
            recipients = addresses(complaint.get("complainedRecipients"));
        } else {
            return null;
        }
        Object tenant = null;
        if (map(map(m.get("mail")).get("tags")).get("tenantId") instanceof List<?> values && !values.isEmpty()) {
            tenant = values.get(0);
        }
        TenantId tenantId = tenant instanceof String s && TenantId.isValid(s) ? new TenantId(s) : null;
        return new SesNotification(kind, recipients, tenantId);
    }

    private static List<String> addresses(Object recipients) {
        List<String> out = new ArrayList<>();
        if (recipients instanceof List<?> list) {
            for (Object r : list) {
                if (map(r).get("emailAddress") instanceof String address && EmailAddress.isValid(address)) {
                    out.add(address.trim());
                }
            }
        }
        return out;
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? m : Map.of();
    }
}

package dev.crm.preferences.entrypoints;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.crm.shared.tenant.TenantId;
import java.util.List;
import org.junit.jupiter.api.Test;

class SesNotificationTest {
    private static final String TENANT = "t_0123456789abcdefghjk";

    @Test
    void eventPublishingAndFeedbackNotificationsAreBothRead() {
        SesNotification event = SesNotification.parse("{\"eventType\": \"Bounce\", \"bounce\": {\"bounceType\": \"Permanent\","
                + " \"bouncedRecipients\": [{\"emailAddress\": \"a@example.com\"}, {\"emailAddress\": \"b@example.com\"}]},"
                + " \"mail\": {\"tags\": {\"tenantId\": [\"" + TENANT + "\"]}}}");
        assertEquals(new SesNotification("bounce", List.of("a@example.com", "b@example.com"), new TenantId(TENANT)), event);
        SesNotification feedback = SesNotification.parse("{\"notificationType\": \"Complaint\", \"complaint\":"
                + " {\"complainedRecipients\": [{\"emailAddress\": \"c@example.com\"}]}, \"mail\": {\"tags\":"
                + " {\"tenantId\": [\"" + TENANT + "\"]}}}");
        assertEquals(new SesNotification("complaint", List.of("c@example.com"), new TenantId(TENANT)), feedback);
    }

    @Test
    void onlyPermanentFailuresAskForSuppression() {
        assertNull(SesNotification.parse("{\"eventType\": \"Bounce\", \"bounce\": {\"bounceType\": \"Transient\"}}"));
        assertNull(SesNotification.parse("{\"eventType\": \"Bounce\", \"bounce\": {\"bounceType\": \"Undetermined\"}}"));
        assertNull(SesNotification.parse("{\"eventType\": \"Complaint\", \"complaint\": {\"complaintFeedbackType\": \"not-spam\"}}"));
        assertNull(SesNotification.parse("{\"eventType\": \"Delivery\"}"));
        assertNull(SesNotification.parse("{\"eventType\": \"Bounce\", \"bounce\": "));
        assertNull(SesNotification.parse(null));
    }

    @Test
    void aMissingOrForeignShapedTenantTagIsNoTenant() {
        SesNotification untagged = SesNotification.parse("{\"eventType\": \"Complaint\", \"complaint\":"
                + " {\"complainedRecipients\": [{\"emailAddress\": \"not an address\"}, {}]}, \"mail\": {}}");
        assertEquals(new SesNotification("complaint", List.of(), null), untagged);
        assertNull(SesNotification.parse("{\"eventType\": \"Complaint\", \"complaint\": {}, \"mail\": {\"tags\":"
                + " {\"tenantId\": [\"../other\"]}}}").tenantId());
    }
}

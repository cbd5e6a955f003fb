package dev.crm.shared.outbound;

import java.util.Map;

/**
 * A message the product itself sends (double opt-in confirmations and the like), not a tenant's
 * marketing. {@code headers} are extra mail headers such as List-Unsubscribe.
 */
public record EmailMessage(String tenantId, String to, String subject, String textBody, String htmlBody,
        Map<String, String> headers, String purpose) {}

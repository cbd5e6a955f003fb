package dev.crm.cases.domain;

import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.ServiceSettings;
import dev.crm.shared.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * A {@code complaint} touch point opens a case when the tenant's {@code complaintsOpenCases} is on
 * (docs/api.md, "Complaints open cases"). The case's id derives from the contact and the touch point,
 * so a replayed stream record finds the case its first delivery created and creates nothing new.
 */
public final class ComplaintCases {
    /** The category of a complaint's case when the tenant has that key or configured none. */
    public static final String CATEGORY = "complaint";
    public static final String DEFAULT_SUBJECT = "Complaint";
    /** The case API's limit on a subject. */
    static final int MAX_SUBJECT = 200;

    /** A complaint touch point as recorded on the contact's timeline; {@code channel} is its wire value or null. */
    public record Complaint(TenantId tenant, String contactId, String interactionId, String channel, String summary) {}

    private final Cases cases;
    private final Function<TenantId, ServiceSettings> settingsOf;

    /** @param settingsOf the tenant's service settings; null when the tenant is gone */
    public ComplaintCases(Cases cases, Function<TenantId, ServiceSettings> settingsOf) {
        this.cases = cases;
        this.settingsOf = settingsOf;
    }

    /** The case's id: the same for every delivery of the same complaint. */
    public static String caseId(String contactId, String interactionId) {
        return Ids.derived(SupportCase.ID_PREFIX,
                Hashes.sha256(("complaint|" + contactId + "|" + interactionId).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Opens the complaint's case if the tenant wants it.
     *
     * @return the case (the one an earlier delivery created, on a replay); empty when the setting is off,
     *         the tenant is gone or the contact is no longer active
     */
    public Optional<SupportCase> open(Complaint c) {
        ServiceSettings settings = settingsOf.apply(c.tenant());
        if (settings == null || !settings.complaintsOpenCases()) {
            return Optional.empty();
        }
        List<String> categories = settings.caseCategories().stream().map(ServiceSettings.CaseCategory::key).toList();
        // a tenant's categories are its choice: one without "complaint" gets its first category
        String category = categories.isEmpty() || categories.contains(CATEGORY) ? CATEGORY : categories.get(0);
        String summary = c.summary() == null || c.summary().isBlank() ? null : c.summary().strip();
        var draft = new Cases.NewCase(c.contactId(), channel(c.channel()), category, SupportCase.Priority.NORMAL,
                subject(summary), summary, null, null);
        try {
            return Optional.of(cases.create(c.tenant(), caseId(c.contactId(), c.interactionId()), draft));
        } catch (CaseRepository.ContactNotActive e) {
            return Optional.empty(); // erased (or being erased) since the complaint: nobody to serve
        }
    }

    /** The summary's first line, at most the case API's subject length; "Complaint" without a summary. */
    static String subject(String summary) {
        if (summary == null) {
            return DEFAULT_SUBJECT;
        }
        String line = summary.lines().findFirst().orElse("").strip();
        if (line.isEmpty()) {
            return DEFAULT_SUBJECT;
        }
        return line.length() <= MAX_SUBJECT ? line : line.substring(0, MAX_SUBJECT - 1) + "…";
    }

    /**
     * The touch point's channel as a case channel: the same name where both have it; sms → chat,
     * store and field → in_person, in_app → web; post, push, other and none → web.
     */
    static SupportCase.Channel channel(String interactionChannel) {
        if (interactionChannel == null) {
            return SupportCase.Channel.WEB;
        }
        return switch (interactionChannel.toLowerCase(Locale.ROOT)) {
            case "email" -> SupportCase.Channel.EMAIL;
            case "phone" -> SupportCase.Channel.PHONE;
            case "chat", "sms" -> SupportCase.Channel.CHAT;
            case "social" -> SupportCase.Channel.SOCIAL;
            case "store", "field" -> SupportCase.Channel.IN_PERSON;
            default -> SupportCase.Channel.WEB;
        };
    }
}

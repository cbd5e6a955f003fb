package dev.crm.cases.domain;

import dev.crm.shared.crypto.Hashes;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.ServiceSettings;
import dev.crm.shared.tenant.TenantId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A journey's {@code createCase} step (service recovery, e.g. for a detractor) asks for a case with a
 * {@code journey.case_requested} event; this opens it. The case's id derives from the request's id, so
 * a redelivered or replayed request finds the case its first delivery created and opens none.
 * Journeys never reach into this module: the stored event is the whole contract.
 */
public final class RequestedCases {
    /** The category when the request names none the tenant accepts, and the tenant accepts this one. */
    public static final String CATEGORY = "service_recovery";

    /** A case request as the journey step stored it; nulls take the defaults below. */
    public record Request(TenantId tenant, String requestId, String contactId, String subject, String description,
            String priority, String category, String channel) {}

    private final Cases cases;
    private final Function<TenantId, ServiceSettings> settingsOf;

    /** @param settingsOf the tenant's service settings; null when the tenant is gone */
    public RequestedCases(Cases cases, Function<TenantId, ServiceSettings> settingsOf) {
        this.cases = cases;
        this.settingsOf = settingsOf;
    }

    /** The case's id: the same for every delivery of the same request, and per tenant. */
    public static String caseId(TenantId tenant, String requestId) {
        return Ids.derived(SupportCase.ID_PREFIX,
                Hashes.sha256(("journey-case|" + tenant.value() + "|" + requestId).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * @return the case (the one an earlier delivery created, on a replay); empty when the tenant is gone
     *         or the contact is no longer active
     */
    public Optional<SupportCase> open(Request r) {
        ServiceSettings settings = settingsOf.apply(r.tenant());
        if (settings == null || r.requestId() == null || r.contactId() == null || r.subject() == null) {
            return Optional.empty();
        }
        List<String> categories = settings.caseCategories().stream().map(ServiceSettings.CaseCategory::key).toList();
        var draft = new Cases.NewCase(r.contactId(), channel(r.channel()), category(categories, r.category()),
                priority(r.priority()), r.subject(), r.description(), null, null);
        try {
            return Optional.of(cases.create(r.tenant(), caseId(r.tenant(), r.requestId()), draft));
        } catch (CaseRepository.ContactNotActive e) {
            return Optional.empty(); // erased (or being erased) since the step ran: nobody to serve
        }
    }

    /** The requested category when the tenant accepts it (categories may change after the journey was written). */
    static String category(List<String> configured, String requested) {
        if (configured.isEmpty()) {
            return requested != null && Cases.CATEGORY.matcher(requested).matches() ? requested : CATEGORY;
        }
        if (requested != null && configured.contains(requested)) {
            return requested;
        }
        return configured.contains(CATEGORY) ? CATEGORY : configured.get(0);
    }

    static SupportCase.Priority priority(String wire) {
        SupportCase.Priority p = wire == null ? null : dev.crm.shared.json.JsonObject.enumValue(SupportCase.Priority.class, wire);
        return p == null ? SupportCase.Priority.NORMAL : p;
    }

    static SupportCase.Channel channel(String wire) {
        SupportCase.Channel c = wire == null ? null : dev.crm.shared.json.JsonObject.enumValue(SupportCase.Channel.class, wire);
        return c == null ? SupportCase.Channel.EMAIL : c;
    }
}

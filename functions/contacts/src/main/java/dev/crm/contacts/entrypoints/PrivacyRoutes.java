package dev.crm.contacts.entrypoints;

import dev.crm.contacts.domain.ContactErasure;
import dev.crm.contacts.domain.ContactPrivacy;
import dev.crm.contacts.domain.ContactService;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.Map;

/** The data subject's rights: the export, and erasure and anonymisation jobs. */
final class PrivacyRoutes {
    private final ContactService contacts;
    private final ContactPrivacy privacy;
    private final IdempotentRequests idempotency;

    PrivacyRoutes(ContactService contacts, ContactPrivacy privacy, IdempotentRequests idempotency) {
        this.contacts = contacts;
        this.privacy = privacy;
        this.idempotency = idempotency;
    }

    void addTo(ApiRouter router) {
        router.bare("GET", "/v1/contacts/{id}/export", Scope.READ, this::export)
                .bare("DELETE", "/v1/contacts/{id}", Scope.WRITE, this::erase)
                .bare("GET", "/v1/contacts/erasures/{id}", Scope.READ,
                        r -> job(r, ContactPrivacy.ERASURE_PREFIX, ContactErasure.ERASURE))
                .bare("POST", "/v1/contacts/{id}/anonymize", Scope.WRITE, this::anonymize)
                .bare("GET", "/v1/contacts/anonymizations/{id}", Scope.READ,
                        r -> job(r, ContactPrivacy.ANONYMIZATION_PREFIX, ContactErasure.ANONYMIZATION));
    }

    /** Everything held about the contact, as one document (GDPR Art. 15 and 20). */
    private ApiResponse export(ApiRequest request) {
        String id = ContactRoutes.contactId(request);
        Map<String, Object> doc;
        try {
            doc = privacy.export(request.tenant(), id);
        } catch (ContactPrivacy.ExportTooLarge e) {
            throw ApiProblem.of(ProblemType.PAYLOAD_TOO_LARGE, "the contact holds more than "
                    + ContactPrivacy.EXPORT_MAX_ITEMS + " items; ask the operator for an offline export");
        }
        if (doc == null) {
            throw ApiProblem.notFound("the contact");
        }
        return ApiResponse.ok(doc).header("Content-Disposition", "attachment; filename=\"contact-" + id + ".json\"");
    }

    private ApiResponse erase(ApiRequest request) {
        String id = ContactRoutes.contactId(request);
        Job job = privacy.requestErasure(request.tenant(), id);
        if (job == null) {
            throw ApiProblem.notFound("the contact");
        }
        return ApiResponse.accepted("/v1/contacts/erasures/" + job.id(), job.toJson());
    }

    private ApiResponse anonymize(ApiRequest request) {
        // Not found is answered before the Idempotency-Key is looked at.
        Contact c = ContactRoutes.existing(contacts, request);
        TenantId t = request.tenant();
        return idempotency.execute(request, attempt -> {
            // A re-run after a lost completion derives the same id and answers with the job it created.
            Job job = privacy.requestAnonymization(t, c, attempt.newId(ContactPrivacy.ANONYMIZATION_PREFIX));
            return ApiResponse.accepted("/v1/contacts/anonymizations/" + job.id(), job.toJson());
        });
    }

    /** A job of this tenant and kind; anything else reads as absent. */
    private ApiResponse job(ApiRequest request, String prefix, String kind) {
        Job job = privacy.job(request.tenant(), request.idParameter("id", prefix, "the job"), kind);
        if (job == null) {
            throw ApiProblem.notFound("the job");
        }
        return ApiResponse.ok(job.toJson());
    }
}

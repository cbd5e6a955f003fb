package dev.crm.contacts.entrypoints;

import dev.crm.contacts.domain.ContactFields;
import dev.crm.contacts.domain.ContactService;
import dev.crm.contacts.domain.Segment;
import dev.crm.shared.contact.Contact;
import dev.crm.shared.contact.ContactData;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.contact.LifecycleStage;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Page;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.http.Route;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.json.Times;
import dev.crm.shared.json.Violations;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Ids;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The contact resource: create, list (with lookups and segment filters), read, patch. */
final class ContactRoutes {
    static final Set<String> LIST_PARAMETERS = Set.of("limit", "cursor", "email", "externalId", "tag", "lifecycleStage",
            "segment", "updatedSince");
    /** A segment list examines at most this many contacts per request, then hands out a cursor. */
    static final int SEGMENT_SCAN_BUDGET = 1000;

    private final ContactService service;
    private final TenantCache tenants;
    private final IdempotentRequests idempotency;
    private final Clock clock;
    private final Route.Handler view360;

    ContactRoutes(ContactService service, TenantCache tenants, IdempotentRequests idempotency, Clock clock,
            Route.Handler view360) {
        this.service = service;
        this.tenants = tenants;
        this.idempotency = idempotency;
        this.clock = clock;
        this.view360 = view360;
    }

    void addTo(ApiRouter router) {
        router.json("POST", "/v1/contacts", Scope.WRITE, this::create)
                .bare("GET", "/v1/contacts", Scope.READ, this::list)
                .bare("GET", "/v1/contacts/{id}", Scope.READ, this::get)
                .add(new Route("PATCH", "/v1/contacts/{id}", Scope.WRITE,
                        Set.of("application/merge-patch+json", "application/json"), Route.DEFAULT_MAX_BODY, this::patch));
    }

    /** Ids we issued have one shape; anything else cannot exist, so it is simply not found. */
    static String contactId(ApiRequest request) {
        return request.idParameter("id", Contact.ID_PREFIX, "the contact");
    }

    /** The contact the path names, or 404 (also while it is being erased). */
    static Contact existing(ContactService service, ApiRequest request) {
        Contact c = service.get(request.tenant(), contactId(request));
        if (c == null) {
            throw ApiProblem.notFound("the contact");
        }
        return c;
    }

    static ApiProblem duplicate(StoreException.UniqueViolation e) {
        ApiProblem p = ApiProblem.of(ProblemType.DUPLICATE, "a contact with this " + e.field() + " already exists"
                + (e.existingId() == null ? "" : ": " + e.existingId()))
                .with("errors", List.of(Map.of("pointer", "/" + e.field(), "detail", "already used by another contact")));
        if (e.existingId() != null) {
            p.with("existingId", e.existingId());
        }
        return p;
    }

    static List<Object> json(List<Contact> contacts) {
        List<Object> items = new ArrayList<>();
        for (Contact c : contacts) {
            items.add(c.toJson());
        }
        return items;
    }

    private ApiResponse create(ApiRequest request) {
        JsonObject body = request.jsonObject();
        ContactData data = ContactFields.create(body);
        ApiProblem.throwIfAny(body.violations());
        TenantId tenant = request.tenant();
        return idempotency.execute(request, attempt -> {
            try {
                // With an Idempotency-Key the id derives from it: a re-run after a lost completion
                // answers with the contact the first run created.
                Contact c = service.create(tenant, data, attempt.newId(Contact.ID_PREFIX));
                return ApiResponse.created("/v1/contacts/" + c.id(), c.toJson()).etag(c.version());
            } catch (StoreException.UniqueViolation e) {
                throw duplicate(e);
            } catch (StoreException.VersionConflict e) {
                throw ApiProblem.of(ProblemType.CONFLICT, "the contact this request created is being erased");
            }
        });
    }

    private ApiResponse get(ApiRequest request) {
        String view = request.query("view");
        if (view != null && !view.equals("360")) {
            throw ApiProblem.parameter("view", "must be 360 (or absent)");
        }
        if (view != null) {
            return view360.handle(request);
        }
        Contact c = existing(service, request);
        return ApiResponse.ok(c.toJson()).etag(c.version());
    }

    private ApiResponse patch(ApiRequest request) {
        long expected = request.requireIfMatch();
        JsonObject patch = request.jsonObject();
        Contact current = existing(service, request);
        if (current.version() != expected) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the contact has changed (version "
                    + current.version() + "); read it again");
        }
        ContactData merged = ContactFields.merge(current, patch);
        ApiProblem.throwIfAny(patch.violations());
        try {
            Contact updated = service.update(request.tenant(), current, merged);
            return ApiResponse.ok(updated.toJson()).etag(updated.version());
        } catch (StoreException.VersionConflict e) {
            throw ApiProblem.of(ProblemType.PRECONDITION_FAILED, "the contact has changed; read it again");
        } catch (StoreException.UniqueViolation e) {
            throw duplicate(e);
        }
    }

    private ApiResponse list(ApiRequest request) {
        Violations v = new Violations();
        for (String p : request.queryParameters().keySet()) {
            if (!LIST_PARAMETERS.contains(p)) {
                v.parameter(p, "unknown parameter");
            }
        }
        int limit = Page.limit(request);
        String email = request.query("email");
        if (email != null && !EmailAddress.isValid(email)) {
            v.parameter("email", "must be an email address");
        }
        String externalId = request.query("externalId");
        String tag = request.query("tag");
        if (tag != null && (tag.isEmpty() || tag.length() > 64)) {
            v.parameter("tag", "must be 1 to 64 characters");
        }
        String stageRaw = request.query("lifecycleStage");
        LifecycleStage stage = stageRaw == null ? null : JsonObject.enumValue(LifecycleStage.class, stageRaw);
        if (stageRaw != null && stage == null) {
            v.parameter("lifecycleStage", "must be one of " + JsonObject.wireNames(LifecycleStage.class));
        }
        String sinceRaw = request.query("updatedSince");
        Instant since = sinceRaw == null ? null : Times.parse(sinceRaw);
        if (sinceRaw != null && since == null) {
            v.parameter("updatedSince", "must be an RFC 3339 timestamp");
        }
        String segmentId = request.query("segment");
        if (segmentId != null && !Ids.isValid(Segment.ID_PREFIX, segmentId)) {
            v.parameter("segment", "not a segment id");
        }
        ApiProblem.throwIfAny(v);
        TenantId t = request.tenant();
        var filter = new ContactService.ContactFilter(stage, tag, since, segmentId);

        if (email != null || externalId != null) {
            Contact c = service.lookup(t, email, externalId, filter);
            return ApiResponse.ok(Page.body(c == null ? List.of() : List.of(c.toJson()), null));
        }
        Tenant tenant = request.callerTenant(tenants);
        Map<String, String> canonical = new TreeMap<>(request.queryParameters());
        canonical.remove("cursor");
        canonical.remove("limit");
        String query = "contacts?" + canonical;
        Cursor from = Page.from(request, t, tenant.secrets(), query, clock.instant());
        Slice<Contact> slice;
        try {
            slice = service.list(t, filter, limit, from, SEGMENT_SCAN_BUDGET);
        } catch (ContactService.NoSuchSegment e) {
            throw ApiProblem.parameter("segment", "no such segment");
        }
        return ApiResponse.ok(Page.body(json(slice.items()), Page.cursor(t, tenant.secrets(), query, slice.next(),
                clock.instant())));
    }
}

package dev.crm.contacts.entrypoints;

import dev.crm.contacts.domain.ContactService;
import dev.crm.contacts.domain.Segment;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Page;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantCache;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** Segments: named rules over contacts, and their current members. */
final class SegmentRoutes {
    private final ContactService service;
    private final TenantCache tenants;
    private final IdempotentRequests idempotency;
    private final Clock clock;

    SegmentRoutes(ContactService service, TenantCache tenants, IdempotentRequests idempotency, Clock clock) {
        this.service = service;
        this.tenants = tenants;
        this.idempotency = idempotency;
        this.clock = clock;
    }

    void addTo(ApiRouter router) {
        router.json("POST", "/v1/segments", Scope.WRITE, this::createSegment)
                .bare("GET", "/v1/segments", Scope.READ, this::listSegments)
                .bare("GET", "/v1/segments/{id}", Scope.READ, this::getSegment)
                .bare("DELETE", "/v1/segments/{id}", Scope.WRITE, this::deleteSegment)
                .bare("GET", "/v1/segments/{id}/contacts", Scope.READ, this::segmentContacts);
    }

    private static String segmentId(ApiRequest request) {
        return request.idParameter("id", Segment.ID_PREFIX, "the segment");
    }

    private Segment existingSegment(ApiRequest request) {
        Segment s = service.segment(request.tenant(), segmentId(request));
        if (s == null) {
            throw ApiProblem.notFound("the segment");
        }
        return s;
    }

    private ApiResponse createSegment(ApiRequest request) {
        JsonObject body = request.jsonObject();
        Segment.Draft draft = Segment.read(body);
        ApiProblem.throwIfAny(body.violations());
        TenantId t = request.tenant();
        return idempotency.execute(request, attempt -> {
            try {
                // A re-run after a lost completion derives the same id and answers with the first segment.
                Segment s = service.createSegment(t, draft, attempt.newId(Segment.ID_PREFIX));
                return ApiResponse.created("/v1/segments/" + s.id(), s.toJson());
            } catch (StoreException.LimitReached e) {
                throw ApiProblem.of(ProblemType.CONFLICT, "a tenant may have at most " + Segment.MAX_PER_TENANT + " segments");
            }
        });
    }

    private ApiResponse listSegments(ApiRequest request) {
        Page.limit(request);
        List<Object> items = new ArrayList<>();
        for (Segment s : service.segments(request.tenant())) {
            items.add(s.toJson());
        }
        // At most 100 segments per tenant: one page holds them all.
        return ApiResponse.ok(Page.body(items, null));
    }

    private ApiResponse getSegment(ApiRequest request) {
        return ApiResponse.ok(existingSegment(request).toJson());
    }

    private ApiResponse deleteSegment(ApiRequest request) {
        if (!service.deleteSegment(request.tenant(), segmentId(request))) {
            throw ApiProblem.notFound("the segment");
        }
        return ApiResponse.noContent();
    }

    private ApiResponse segmentContacts(ApiRequest request) {
        Segment s = existingSegment(request);
        int limit = Page.limit(request);
        Tenant tenant = request.callerTenant(tenants);
        String query = "segment:" + s.id();
        Cursor from = Page.from(request, request.tenant(), tenant.secrets(), query, clock.instant());
        var slice = service.members(request.tenant(), s, limit, from, ContactRoutes.SEGMENT_SCAN_BUDGET);
        return ApiResponse.ok(Page.body(ContactRoutes.json(slice.items()),
                Page.cursor(request.tenant(), tenant.secrets(), query, slice.next(), clock.instant())));
    }
}

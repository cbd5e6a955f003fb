package dev.crm.contacts.entrypoints;

import dev.crm.contacts.domain.ImportFile;
import dev.crm.contacts.domain.InteractionImport;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Route;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.json.Violations;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Bulk touch points (purchase history): an NDJSON file becomes an import job; its result lists the rejected lines. */
final class InteractionImportRoutes {
    private final InteractionImport imports;
    private final IdempotentRequests idempotency;

    InteractionImportRoutes(InteractionImport imports, IdempotentRequests idempotency) {
        this.imports = imports;
        this.idempotency = idempotency;
    }

    void addTo(ApiRouter router) {
        router.add(new Route("POST", "/v1/interactions/imports", Scope.WRITE, Set.of("application/x-ndjson"),
                        ImportFile.MAX_BYTES, this::startImport))
                .bare("GET", "/v1/interactions/imports/{id}", Scope.READ, this::importJob);
    }

    private ApiResponse startImport(ApiRequest request) {
        String create = request.query("createContacts");
        if (create != null && !create.equals("true") && !create.equals("false")) {
            throw ApiProblem.validation(new Violations().parameter("createContacts", "must be true or false"));
        }
        String body = request.body();
        if (body == null || body.isBlank()) {
            throw ApiProblem.validation("", "the body is empty: send NDJSON, one touch point a line");
        }
        List<String> lines;
        try {
            lines = ImportFile.ndjsonRows(body);
        } catch (ImportFile.Unreadable e) {
            throw ApiProblem.validation("", e.getMessage());
        }
        TenantId t = request.tenant();
        boolean createContacts = "true".equals(create);
        return idempotency.execute(request, attempt -> {
            // A re-run after a lost completion derives the same id and answers with the import it started.
            Job job = imports.start(t, lines, createContacts, attempt.newId(InteractionImport.ID_PREFIX));
            return ApiResponse.accepted("/v1/interactions/imports/" + job.id(), job.toJson());
        });
    }

    private ApiResponse importJob(ApiRequest request) {
        String id = request.idParameter("id", InteractionImport.ID_PREFIX, "the job");
        Map<String, Object> job = imports.result(request.tenant(), id);
        if (job == null) {
            throw ApiProblem.notFound("the job");
        }
        return ApiResponse.ok(job);
    }
}

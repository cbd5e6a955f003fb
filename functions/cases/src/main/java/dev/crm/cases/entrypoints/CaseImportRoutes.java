package dev.crm.cases.entrypoints;

import dev.crm.shared.jobs.NdjsonLines;
import dev.crm.cases.domain.imports.CaseImport;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.Route;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.jobs.Job;
import dev.crm.shared.tenant.Scope;
import dev.crm.shared.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** History imports: an NDJSON file of past cases becomes an import job; its result lists the rejected lines. */
final class CaseImportRoutes {
    private final CaseImport imports;
    private final IdempotentRequests idempotency;

    CaseImportRoutes(CaseImport imports, IdempotentRequests idempotency) {
        this.imports = imports;
        this.idempotency = idempotency;
    }

    ApiRouter addTo(ApiRouter router) {
        return router.add(new Route("POST", "/v1/cases/imports", Scope.WRITE, Set.of("application/x-ndjson"),
                        CaseImport.MAX_BYTES, this::start))
                .bare("GET", "/v1/cases/imports/{id}", Scope.READ, this::job);
    }

    private ApiResponse start(ApiRequest request) {
        String body = request.body();
        if (body == null || body.isBlank()) {
            throw ApiProblem.validation("", "the body is empty: send NDJSON, one case per line");
        }
        List<String> lines;
        try {
            lines = NdjsonLines.read(body, CaseImport.MAX_LINES);
        } catch (NdjsonLines.Unreadable e) {
            throw ApiProblem.validation("", e.getMessage());
        }
        TenantId t = request.tenant();
        return idempotency.execute(request, attempt -> {
            // a re-run after a lost completion derives the same id and answers with the import it started
            Job job = imports.start(t, lines, attempt.newId(CaseImport.ID_PREFIX));
            return ApiResponse.accepted("/v1/cases/imports/" + job.id(), job.toJson());
        });
    }

    private ApiResponse job(ApiRequest request) {
        String id = request.idParameter("id", CaseImport.ID_PREFIX, "the import");
        Map<String, Object> job = imports.result(request.tenant(), id);
        if (job == null) {
            throw ApiProblem.notFound("the import");
        }
        return ApiResponse.ok(job);
    }
}

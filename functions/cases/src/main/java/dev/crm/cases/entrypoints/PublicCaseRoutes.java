package dev.crm.cases.entrypoints;

import dev.crm.cases.domain.HistoryEntry;
import dev.crm.cases.domain.PublicCases;
import dev.crm.cases.domain.PublicLimit;
import dev.crm.cases.domain.SupportCase;
import dev.crm.shared.contact.EmailAddress;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.http.ApiResponse;
import dev.crm.shared.http.ApiRouter;
import dev.crm.shared.http.ProblemType;
import dev.crm.shared.http.Route;
import dev.crm.shared.idempotency.IdempotentRequests;
import dev.crm.shared.json.JsonObject;
import dev.crm.shared.log.Log;
import dev.crm.shared.outbound.EmailMessage;
import dev.crm.shared.outbound.MessageSendException;
import dev.crm.shared.outbound.MessageSender;
import dev.crm.shared.tenant.Tenant;
import dev.crm.shared.tenant.TenantId;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Self-service: the contact form ({@code POST /v1/public/t/{tenantSlug}/cases}), a case's status page data
 * ({@code GET /v1/public/cases?token=…}) and the sender's replies ({@code POST /v1/public/cases/messages?token=…}),
 * with their CORS preflights. No authorizer: the tenant comes from the slug or the signed link only.
 */
final class PublicCaseRoutes {
    /** A request's text and a few fields; far less than the 64 KiB of ordinary routes, because anyone may post. */
    static final int MAX_BODY_BYTES = 48 * 1024;
    static final String HONEYPOT = "website";
    private static final String REPLY_PREFIX = "msg_";

    private final PublicCases service;
    private final PublicCaseAccess access;
    private final IdempotentRequests idempotency;
    private final MessageSender sender;
    private final Clock clock;

    PublicCaseRoutes(PublicCases service, PublicCaseAccess access, IdempotentRequests idempotency, MessageSender sender,
            Clock clock) {
        this.service = service;
        this.access = access;
        this.idempotency = idempotency;
        this.sender = sender;
        this.clock = clock;
    }

    ApiRouter addTo(ApiRouter router) {
        Set<String> json = Set.of(ApiResponse.JSON);
        return router
                .add(new Route("POST", "/v1/public/t/{tenantSlug}/cases", null, json, MAX_BODY_BYTES, this::submit))
                .bare("GET", "/v1/public/cases", null, this::view)
                .add(new Route("POST", "/v1/public/cases/messages", null, json, MAX_BODY_BYTES, this::reply))
                // Declared so the template routes browsers' preflights here; the router answers them with
                // the tenant's origins (a JSON POST is not a simple request).
                .add(new Route("OPTIONS", "/v1/public/t/{tenantSlug}/cases", null, Set.of(), 0, r -> ApiResponse.noContent()))
                .add(new Route("OPTIONS", "/v1/public/cases/messages", null, Set.of(), 0, r -> ApiResponse.noContent()))
                .publicOrigins(access::allowedOrigins);
    }

    /** The one answer to every accepted form, known address or not, stored or not (a bot's included). */
    private static ApiResponse accepted() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "accepted");
        out.put("detail", "if the address can receive email, a link to follow the request is on its way");
        return ApiResponse.json(202, out);
    }

    private ApiResponse submit(ApiRequest request) {
        Tenant tenant = access.bySlug(request);
        TenantId t = tenant.id();
        RouteQuery.none(request);
        JsonObject body = request.jsonObject();
        Object trap = body.raw().get(HONEYPOT);
        if (trap != null && !(trap instanceof String s && s.isBlank())) {
            // a bot filled the hidden field: it gets what a person would, and nothing is stored or sent
            return accepted();
        }
        body.allowOnly("email", "name", "category", "subject", "body", HONEYPOT);
        String email = body.requiredLine("email", 3, 254);
        if (email != null && !EmailAddress.isValid(email)) {
            body.violations().pointer("/email", "must be an email address");
        }
        String name = body.optionalLine("name", 1, 200);
        String category = body.requiredString("category", 1, 40);
        String subject = body.requiredLine("subject", 1, 200);
        String text = body.requiredString("body", 1, 10_000);
        if (category != null) {
            String problem = service.categoryProblem(t, category);
            if (problem != null) {
                body.violations().pointer("/category", problem);
            }
        }
        ApiProblem.throwIfAny(body.violations());
        PublicLimit exceeded = service.admitRequest(t, PublicCaseAccess.clientPseudonym(request, tenant.secrets(), "case-client"),
                tenant.secrets().pseudonym("case-address", EmailAddress.normalize(email)));
        if (exceeded != null) {
            throw rateLimited(exceeded, exceeded == PublicCases.REQUESTS_PER_ADDRESS ? "address" : "client");
        }
        var r = new PublicCases.Request(email.trim(), name, category, subject, text);
        return idempotency.execute(request, t, "cases", attempt -> {
            SupportCase c = service.submit(t, attempt.newId(SupportCase.ID_PREFIX), r);
            if (c != null) {
                sendLink(request, tenant, c, r.email());
            }
            // The same answer whether the address was known, new, or belongs to a contact being erased.
            return accepted();
        });
    }

    private ApiProblem rateLimited(PublicLimit exceeded, String what) {
        return ApiProblem.of(ProblemType.RATE_LIMITED, "too many requests from this " + what + "; retry later")
                .header("Retry-After", Long.toString(exceeded.retryAfterSeconds(clock.instant())));
    }

    /**
     * The sender's link to the case. The message holds nothing the sender typed (no subject, no name): a
     * form that mails any address must not carry a stranger's text to it.
     */
    private void sendLink(ApiRequest request, Tenant tenant, SupportCase c, String to) {
        String url = access.statusPage(request, access.issue(tenant, c, clock.instant()));
        String number = SupportCase.displayNumber(c.number());
        long days = PublicCaseAccess.LINK_TTL.toDays();
        String text = "We received your request to " + tenant.name() + " (" + number + ").\n\n"
                + "Follow it and reply here:\n" + url + "\n\n"
                + "Keep this link to yourself: whoever has it can read the case and reply. It is valid for " + days
                + " days. If you did not write to " + tenant.name() + ", ignore this message.\n";
        String html = "<p>We received your request to " + escape(tenant.name()) + " (" + number + ").</p>"
                + "<p><a href=\"" + escape(url) + "\">Follow it and reply</a></p>"
                + "<p>Keep this link to yourself: whoever has it can read the case and reply. It is valid for " + days
                + " days. If you did not write to " + escape(tenant.name()) + ", ignore this message.</p>";
        try {
            sender.send(new EmailMessage(tenant.id().value(), to, "Your request " + number + " to " + tenant.name(), text,
                    html, Map.of(), "case_link"));
        } catch (MessageSendException e) {
            Log.warn("case link not sent", Map.of("tenantId", tenant.id().value(), "reason", e.getMessage()));
            throw ApiProblem.of(ProblemType.SERVICE_UNAVAILABLE, "the email could not be sent; retry later")
                    .header("Retry-After", "60");
        }
    }

    private ApiResponse view(ApiRequest request) {
        RouteQuery.only(request, "token");
        PublicCaseAccess.CaseLink link = access.verify(request);
        // Another tenant's case, or another contact's, is not found exactly like a missing one.
        PublicCases.PublicView v = service.view(link.tenant().id(), link.caseId(), link.contactId())
                .orElseThrow(() -> ApiProblem.notFound("the case"));
        SupportCase c = v.supportCase();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("number", SupportCase.displayNumber(c.number()));
        out.put("status", SupportCase.wire(c.status()));
        out.put("subject", c.subject());
        out.put("organisation", link.tenant().name());
        out.put("createdAt", c.createdAt().toString());
        out.put("updatedAt", c.updatedAt().toString());
        out.put("acceptsReplies", c.status() != SupportCase.Status.CLOSED);
        out.put("messages", v.messages().stream().<Object>map(PublicCaseRoutes::message).toList());
        return ApiResponse.ok(out);
    }

    private static Map<String, Object> message(HistoryEntry e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.fields().get("messageId"));
        m.put("author", e.fields().get("author"));
        m.put("body", e.fields().get("body"));
        m.put("at", e.at().toString());
        return m;
    }

    private ApiResponse reply(ApiRequest request) {
        RouteQuery.only(request, "token");
        PublicCaseAccess.CaseLink link = access.verify(request);
        JsonObject body = request.jsonObject();
        body.allowOnly("body");
        String text = body.requiredString("body", 1, 10_000);
        ApiProblem.throwIfAny(body.violations());
        Tenant tenant = link.tenant();
        TenantId t = tenant.id();
        PublicLimit exceeded = service.admitReply(t, PublicCaseAccess.clientPseudonym(request, tenant.secrets(),
                "reply-client"), link.caseId());
        if (exceeded != null) {
            throw rateLimited(exceeded, exceeded == PublicCases.REPLIES_PER_CASE ? "case" : "client");
        }
        return idempotency.execute(request, t, link.caseId(), attempt -> {
            String messageId = attempt.newId(REPLY_PREFIX);
            PublicCases.Reply r = service.reply(t, link.caseId(), link.contactId(), messageId, text);
            switch (r.outcome()) {
                case NOT_FOUND:
                    throw ApiProblem.notFound("the case");
                case CLOSED:
                    throw ApiProblem.of(ProblemType.CLOSED, "the case is closed; send a new request through the contact form");
                default:
                    break;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", messageId);
            out.put("author", "customer");
            out.put("body", text);
            out.put("at", r.after().updatedAt().toString());
            out.put("status", SupportCase.wire(r.after().status()));
            return ApiResponse.json(201, out);
        });
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    /** Query parameters a public route accepts; anything else is a 400, as on the other routes. */
    private static final class RouteQuery {
        static void none(ApiRequest request) {
            only(request);
        }

        static void only(ApiRequest request, String... allowed) {
            List<String> ok = List.of(allowed);
            var v = new dev.crm.shared.json.Violations();
            request.queryParameters().keySet().stream().filter(p -> !ok.contains(p)).sorted()
                    .forEach(p -> v.parameter(p, "unknown parameter"));
            ApiProblem.throwIfAny(v);
        }
    }
}

package dev.crm.preferences.entrypoints;

import dev.crm.shared.contact.Contact;
import dev.crm.shared.http.ApiProblem;
import dev.crm.shared.http.ApiRequest;
import dev.crm.shared.json.Violations;
import java.util.Set;

/** What several routes read from a request the same way: the contact id in the path, the known query parameters. */
final class RouteParameters {
    static final Set<String> PAGE = Set.of("limit", "cursor");

    private RouteParameters() {}

    /** Ids we issued have one shape; anything else cannot exist, so it is simply not found. */
    static String contactId(ApiRequest request) {
        return request.idParameter("id", Contact.ID_PREFIX, "the contact");
    }

    static void onlyParameters(ApiRequest request, Set<String> allowed) {
        Violations v = new Violations();
        for (String p : request.queryParameters().keySet()) {
            if (!allowed.contains(p)) {
                v.parameter(p, "unknown parameter");
            }
        }
        ApiProblem.throwIfAny(v);
    }
}

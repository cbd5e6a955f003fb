package dev.crm.cases.store.dynamodb;

import dev.crm.shared.tenant.TenantId;
import java.util.Locale;

/**
 * The agents' key formats (docs/data-model.md, "Agents"), apart from {@link CaseKeys} so the two
 * resources' keys can change independently. No key holds an agent's email.
 */
public final class AgentKeys {
    private AgentKeys() {}

    public static String agent(TenantId t, String agentId) {
        return t.value() + "#AGENT#" + agentId;
    }

    public static final String AGENT = "AGENT";

    /** GSI1: all of a tenant's agents. */
    public static String allAgents(TenantId t) {
        return t.value() + "#AGENTS";
    }

    /** The GSI1 sort key: the name folded to lower case (the list's order), then the id to break ties. */
    public static String byName(String name, String agentId) {
        return name.toLowerCase(Locale.ROOT) + "#" + agentId;
    }
}

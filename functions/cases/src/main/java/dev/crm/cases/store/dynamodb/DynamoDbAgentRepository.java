package dev.crm.cases.store.dynamodb;

import dev.crm.cases.domain.Agent;
import dev.crm.cases.domain.AgentRepository;
import dev.crm.shared.store.Cursor;
import dev.crm.shared.store.Slice;
import dev.crm.shared.store.StoreException;
import dev.crm.shared.store.dynamodb.Attr;
import dev.crm.shared.store.dynamodb.Table;
import dev.crm.shared.tenant.TenantId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

/**
 * {@link AgentRepository} on the single table (docs/data-model.md, "Agents"): one item per agent
 * ({@code {t}#AGENT#{id}}, {@code AGENT}), listed by name through GSI1 ({@code {t}#AGENTS}).
 * Single-item conditional writes: an agent has no other item to keep in step with.
 */
public final class DynamoDbAgentRepository implements AgentRepository {
    static final String ENTITY = "AGENT";

    private final Table table;

    public DynamoDbAgentRepository(Table table) {
        this.table = table;
    }

    static Map<String, AttributeValue> item(Agent a) {
        Map<String, AttributeValue> item = new HashMap<>(Table.key(AgentKeys.agent(a.tenant(), a.id()), AgentKeys.AGENT));
        item.put(Table.ENTITY, Attr.s(ENTITY));
        item.put("tenantId", Attr.s(a.tenant().value()));
        item.put("agentId", Attr.s(a.id()));
        item.put("name", Attr.s(a.name()));
        item.put("email", Attr.s(a.email()));
        item.put("teams", Attr.of(a.teams()));
        item.put("active", Attr.bool(a.active()));
        item.put(Table.GSI1PK, Attr.s(AgentKeys.allAgents(a.tenant())));
        item.put(Table.GSI1SK, Attr.s(AgentKeys.byName(a.name(), a.id())));
        item.put("createdAt", Attr.instant(a.createdAt()));
        item.put("updatedAt", Attr.instant(a.updatedAt()));
        item.put("version", Attr.n(a.version()));
        return item;
    }

    static Agent agent(Map<String, AttributeValue> item) {
        return new Agent(new TenantId(Attr.str(item, "tenantId")), Attr.str(item, "agentId"), Attr.str(item, "name"),
                Attr.str(item, "email"), Attr.strings(item, "teams"), Attr.bool(item, "active"),
                Attr.instant(item, "createdAt"), Attr.instant(item, "updatedAt"), Attr.num(item, "version", 1));
    }

    @Override
    public Agent create(Agent a) {
        try {
            table.client().putItem(PutItemRequest.builder().tableName(table.name()).item(item(a))
                    .conditionExpression("attribute_not_exists(PK)").build());
            return a;
        } catch (ConditionalCheckFailedException e) {
            // a keyed request's re-run: the first run created it
            return find(a.tenant(), a.id()).orElseThrow(StoreException.Contention::new);
        }
    }

    @Override
    public Optional<Agent> find(TenantId tenant, String id) {
        var item = table.get(AgentKeys.agent(tenant, id), AgentKeys.AGENT);
        return item == null ? Optional.empty() : Optional.of(agent(item));
    }

    @Override
    public Agent replace(Agent updated, long expectedVersion) {
        try {
            table.client().putItem(PutItemRequest.builder().tableName(table.name()).item(item(updated))
                    .conditionExpression("attribute_exists(PK) AND version = :v")
                    .expressionAttributeValues(Map.of(":v", Attr.n(expectedVersion))).build());
            return updated;
        } catch (ConditionalCheckFailedException e) {
            if (find(updated.tenant(), updated.id()).isEmpty()) {
                throw new StoreException.NotFound();
            }
            throw new StoreException.VersionConflict();
        }
    }

    @Override
    public Slice<Agent> list(TenantId tenant, Filter filter, Cursor after, int limit) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        names.put("#ipk", Table.GSI1PK);
        values.put(":ipk", Attr.s(AgentKeys.allAgents(tenant)));
        List<String> conditions = new ArrayList<>();
        if (filter.active() != null) {
            names.put("#active", "active");
            values.put(":active", Attr.bool(filter.active()));
            conditions.add("#active = :active");
        }
        if (filter.team() != null) {
            names.put("#teams", "teams");
            values.put(":team", Attr.s(filter.team()));
            conditions.add("contains(#teams, :team)");
        }
        Map<String, AttributeValue> start = after == null ? null : startKey(tenant, after);
        List<Map<String, AttributeValue>> found = new ArrayList<>();
        int examined = 0;
        Map<String, AttributeValue> last;
        // as the case list: unfiltered, the page and one more; filtered, hundreds for few round trips
        int perQuery = conditions.isEmpty() ? limit + 1 : Math.max(limit + 1, 100);
        do {
            var q = QueryRequest.builder().tableName(table.name()).indexName(Table.GSI1)
                    .keyConditionExpression("#ipk = :ipk").expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .limit(Math.min(MAX_EXAMINED - examined, perQuery));
            if (!conditions.isEmpty()) {
                q.filterExpression(String.join(" AND ", conditions));
            }
            if (start != null) {
                q.exclusiveStartKey(start);
            }
            var r = table.client().query(q.build());
            examined += r.scannedCount();
            for (var item : r.items()) {
                if (found.size() <= limit) {
                    found.add(item);
                }
            }
            last = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            start = last;
        } while (found.size() <= limit && last != null && examined < MAX_EXAMINED);
        if (found.size() > limit) {
            List<Map<String, AttributeValue>> page = found.subList(0, limit);
            return new Slice<>(page.stream().map(DynamoDbAgentRepository::agent).toList(), cursorAt(page.get(limit - 1)));
        }
        List<Agent> items = found.stream().map(DynamoDbAgentRepository::agent).toList();
        // the budget ran out before the index did: a short page, and the cursor where reading stopped
        return last == null ? Slice.last(items) : new Slice<>(items, cursorAt(last));
    }

    /** A list cursor: the index sort key and the agent's partition key (what DynamoDB needs to resume). */
    private static Cursor cursorAt(Map<String, AttributeValue> item) {
        return new Cursor(Attr.str(item, Table.GSI1SK) + "|" + Attr.str(item, Table.PK));
    }

    private static Map<String, AttributeValue> startKey(TenantId tenant, Cursor after) {
        int bar = after.value().lastIndexOf('|');
        String pk = bar < 0 ? "" : after.value().substring(bar + 1);
        if (!pk.startsWith(AgentKeys.agent(tenant, ""))) {
            throw new IllegalArgumentException("not an agent list cursor");
        }
        Map<String, AttributeValue> key = new HashMap<>(Table.key(pk, AgentKeys.AGENT));
        key.put(Table.GSI1PK, Attr.s(AgentKeys.allAgents(tenant)));
        key.put(Table.GSI1SK, Attr.s(after.value().substring(0, bar)));
        return key;
    }
}

package dev.crm.bench.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.crm.shared.store.dynamodb.Keys;
import dev.crm.shared.tenant.TenantId;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Which requests a list page makes on each projection, and that every update is paired with its lists. */
class ProjectionPassTest {
    private final ProjectionPass pass = new ProjectionPass(null, null, new ProjectionPass.Options(0, 0, 0, 0), s -> { });
    private final Map<String, ProjectionPass.ListRoute> routes = pass.routes().stream()
            .collect(Collectors.toMap(ProjectionPass.ListRoute::entity, r -> r));

    @Test
    void aRouteReturningWholeItemsFetchesThemUnlessTheIndexProjectsAll() {
        var contacts = routes.get("contact");
        assertFalse(ProjectionPass.fetches(contacts, Variant.ALL));
        assertTrue(ProjectionPass.fetches(contacts, Variant.KEYS_ONLY));
        assertTrue(ProjectionPass.fetches(contacts, Variant.INCLUDE));
    }

    @Test
    void theBatchReadersAreServedByIncludeAlone() {
        for (String entity : List.of("purchase summary", "purchase entry")) {
            assertFalse(ProjectionPass.fetches(routes.get(entity), Variant.INCLUDE), entity);
            assertTrue(ProjectionPass.fetches(routes.get(entity), Variant.KEYS_ONLY), entity);
        }
    }

    @Test
    void theActiveFilterRunsInTheIndexOnlyWhereTheEntryCarriesStatus() {
        var contacts = routes.get("contact");
        assertTrue(ProjectionPass.filtersInIndex(contacts, Variant.ALL));
        assertTrue(ProjectionPass.filtersInIndex(contacts, Variant.INCLUDE));
        assertFalse(ProjectionPass.filtersInIndex(contacts, Variant.KEYS_ONLY));
        assertFalse(ProjectionPass.filtersInIndex(routes.get("case"), Variant.ALL)); // unfiltered list
    }

    @Test
    void theCaseListReadsAHundredEntriesForAPageOf25AsTheRepositoryDoes() {
        assertEquals(100, routes.get("case").queryLimit().apply(25));
        assertEquals(101, routes.get("case").queryLimit().apply(100));
        assertEquals(26, routes.get("case, limit + 1").queryLimit().apply(25));
    }

    @Test
    void everyPairedListIsMeasured() {
        ProjectionPass.PAIRS.values().forEach(lists -> lists.forEach(l -> assertTrue(routes.containsKey(l), l)));
    }

    @Test
    void seededItemsStayInTheirTenantsPartitions() {
        TenantId t = TenantId.generate();
        var entry = Shapes.purchaseEntry(t, 3, 1);
        assertTrue(entry.get("PK").s().startsWith(t.value() + "#"));
        assertTrue(entry.get("GSI2PK").s().startsWith(t.value() + "#PURCHASES#"));
        assertEquals(Keys.contact(t, Shapes.contactId(3)), Shapes.alertItem(t, 3).get("PK").s());
        assertTrue(Shapes.caseItem(t, 3, "open", null, java.time.Instant.EPOCH, 1).get("GSI2PK").s()
                .equals(t.value() + "#CASES#open"));
    }
}

package dev.crm.bench.projection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Capacity;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

class BreakEvenTest {
    private final BreakEven prices = BreakEven.US_EAST_1;

    @Test
    void anUpdateThatSavesFourUnitsPaysForAsManyPagesAsItsMoneyCovers() {
        // 4 WCU saved at 5x the read price = 20 RCU's worth; a page 9 RCU dearer: 2.22 pages per update
        assertEquals(20.0 / 9.0, prices.pagesPerUpdate(5, 1, 3.5, 12.5), 1e-9);
    }

    @Test
    void aProjectionThatSavesNoWriteNeverPaysAndOneWithoutExtraReadsAlwaysDoes() {
        assertEquals(0, prices.pagesPerUpdate(5, 5, 3.5, 12.5));
        assertEquals(0, prices.pagesPerUpdate(5, 6, 3.5, 12.5));
        assertTrue(Double.isInfinite(prices.pagesPerUpdate(2, 1, 3.5, 3.5)));
        // saves no write but reads less per page (an INCLUDE entry smaller than the item): always cheaper
        assertTrue(Double.isInfinite(prices.pagesPerUpdate(2, 2, 5.0, 4.0)));
        assertTrue(Double.isNaN(prices.pagesPerUpdate(2, 2, 3.5, 3.5)));
        assertEquals("never", ProjectionPass.breakEven(0));
        assertEquals("always", ProjectionPass.breakEven(Double.POSITIVE_INFINITY));
        assertEquals("same cost", ProjectionPass.breakEven(Double.NaN));
        assertEquals("2.22", ProjectionPass.breakEven(20.0 / 9.0));
    }

    @Test
    void costIsUnitsTimesThePricePerMillion() {
        assertEquals(0.625 + 0.125, prices.cost(1_000_000, 1_000_000), 1e-12);
        assertEquals(5 * 0.125 / 1e6, prices.cost(5, 0), 1e-15);
    }

    @Test
    void eventuallyConsistentReadsCostHalfAUnitPerStarted4Kb() {
        assertEquals(0.5, BreakEven.eventualReadUnits(0));
        assertEquals(0.5, BreakEven.eventualReadUnits(4096));
        assertEquals(1.0, BreakEven.eventualReadUnits(4097));
        assertEquals(3.5, BreakEven.eventualReadUnits(25 * 1100));
    }

    @Test
    void unitsAddTheResponsesAndKeepEachIndexApart() {
        ConsumedCapacity put = ConsumedCapacity.builder().capacityUnits(5.0).table(Capacity.builder().capacityUnits(1.0).build())
                .globalSecondaryIndexes(Map.of("GSI1", Capacity.builder().capacityUnits(2.0).build(),
                        "GSI2", Capacity.builder().capacityUnits(2.0).build())).build();
        ConsumedCapacity query = ConsumedCapacity.builder().capacityUnits(0.5)
                .globalSecondaryIndexes(Map.of("GSI1", Capacity.builder().capacityUnits(0.5).build())).build();
        ConsumedCapacity other = ConsumedCapacity.builder().capacityUnits(1.0)
                .globalSecondaryIndexes(Map.of("TenantItems", Capacity.builder().capacityUnits(1.0).build())).build();
        Units u = Units.of(List.of(put, query, other));
        assertEquals(6.5, u.total());
        assertEquals(1.0, u.table());
        assertEquals(2.5, u.index("GSI1"));
        assertEquals(2.0, u.index("GSI2"));
        assertEquals(1.0, u.otherIndexes(Variant.OVERLOADED));
        assertEquals(13.0, u.plus(u).total());
        assertEquals(5.0, u.plus(u).index("GSI1"));
        assertEquals(0, Units.of(java.util.Arrays.asList((ConsumedCapacity) null)).total());
    }

    @Test
    void includeProjectsWhatTheBatchReadersAndTheListFiltersNeedAndKeysOnlyNothing() {
        for (String a : List.of("contactId", "totalSpend", "purchaseVersion", "data", "status", "tags")) {
            assertTrue(Variant.INCLUDE.projects(a), a);
        }
        assertTrue(!Variant.INCLUDE.projects("email"));
        assertTrue(!Variant.KEYS_ONLY.projects("status"));
        assertTrue(Variant.ALL.projects("email"));
    }
}
